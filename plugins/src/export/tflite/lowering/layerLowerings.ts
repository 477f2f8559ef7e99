import type { LayerLowering } from './LayerLowering';
import { ActivationLowering } from './layers/ActivationLowering';
import { AddLowering } from './layers/AddLowering';
import { AverageLowering } from './layers/AverageLowering';
import { AveragePooling2DLowering } from './layers/AveragePooling2DLowering';
import { BatchNormalizationLowering } from './layers/BatchNormalizationLowering';
import { ConcatenateLowering } from './layers/ConcatenateLowering';
import { Conv1DLowering } from './layers/Conv1DLowering';
import { Conv2DLowering } from './layers/Conv2DLowering';
import { Conv2DTransposeLowering } from './layers/Conv2DTransposeLowering';
import { Cropping2DLowering } from './layers/Cropping2DLowering';
import { DenseLowering } from './layers/DenseLowering';
import { DepthwiseConv2DLowering } from './layers/DepthwiseConv2DLowering';
import { DropoutLowering } from './layers/DropoutLowering';
import { ELULowering } from './layers/ELULowering';
import { EmbeddingLowering } from './layers/EmbeddingLowering';
import { FlattenLowering } from './layers/FlattenLowering';
import { GlobalAveragePooling2DLowering } from './layers/GlobalAveragePooling2DLowering';
import { GlobalMaxPooling2DLowering } from './layers/GlobalMaxPooling2DLowering';
import { GRULowering } from './layers/GRULowering';
import { LayerNormalizationLowering } from './layers/LayerNormalizationLowering';
import { LeakyReLULowering } from './layers/LeakyReLULowering';
import { LSTMLowering } from './layers/LSTMLowering';
import { MaximumLowering } from './layers/MaximumLowering';
import { MaxPooling2DLowering } from './layers/MaxPooling2DLowering';
import { MinimumLowering } from './layers/MinimumLowering';
import { MultiplyLowering } from './layers/MultiplyLowering';
import { PermuteLowering } from './layers/PermuteLowering';
import { PReLULowering } from './layers/PReLULowering';
import { ReLULowering } from './layers/ReLULowering';
import { RepeatVectorLowering } from './layers/RepeatVectorLowering';
import { ReshapeLowering } from './layers/ReshapeLowering';
import { SeparableConv2DLowering } from './layers/SeparableConv2DLowering';
import { SimpleRNNLowering } from './layers/SimpleRNNLowering';
import { SoftmaxLowering } from './layers/SoftmaxLowering';
import { UpSampling2DLowering } from './layers/UpSampling2DLowering';
import { ZeroPadding2DLowering } from './layers/ZeroPadding2DLowering';

/**
 * The lowering registry: every tfjs layer class the TFLite exporter writes, by class name. The
 * supported-class list (`TFLITE_LAYER_CLASSES`), the support check and `lowerModel` all read this
 * table, so a class is supported exactly when it has an entry. Order is the order of the list in
 * error messages.
 */
export const layerLowerings: ReadonlyMap<string, LayerLowering> = new Map(
  [
    DenseLowering,
    Conv2DLowering,
    DepthwiseConv2DLowering,
    SeparableConv2DLowering,
    Conv1DLowering,
    BatchNormalizationLowering,
    ReLULowering,
    ActivationLowering,
    SoftmaxLowering,
    MaxPooling2DLowering,
    AveragePooling2DLowering,
    GlobalAveragePooling2DLowering,
    GlobalMaxPooling2DLowering,
    FlattenLowering,
    ReshapeLowering,
    DropoutLowering,
    ZeroPadding2DLowering,
    AddLowering,
    ConcatenateLowering,
    MultiplyLowering,
    LeakyReLULowering,
    PReLULowering,
    ELULowering,
    MaximumLowering,
    MinimumLowering,
    AverageLowering,
    Cropping2DLowering,
    UpSampling2DLowering,
    PermuteLowering,
    RepeatVectorLowering,
    Conv2DTransposeLowering,
    EmbeddingLowering,
    LayerNormalizationLowering,
    SimpleRNNLowering,
    GRULowering,
    LSTMLowering,
  ].map((l) => [l.className, l]),
);
