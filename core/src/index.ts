/**
 * @packageDocumentation
 * `@collabopt/core`: the hook-based engine of collabopt — {@link collab} and {@link Session},
 * hooks and {@link Stage} bands, the {@link Plugin} contract, invariants and the {@link Composer},
 * latent weights and projections, forward hooks, optimization state.
 *
 * This entry is browser-safe. In Node, the package resolves to its Node entry, which adds the
 * file-system session store and backend selection.
 */
export { collab } from './session/collab';
export { Session } from './session/Session';
export { loadModel } from './session/loadModel';
export type { SessionOptions, CheckFrequency, FinishResult } from './session/Session';
export { SessionCallback } from './session/SessionCallback';
export { Stage } from './hooks/Stage';
export type { StageBand } from './hooks/Stage';
export { createSessionHooks } from './hooks/SessionHooks';
export type {
  SessionHooks,
  Logs,
  TrainContext,
  EpochContext,
  BatchContext,
  UpdateContext,
  ProjectContext,
  ProjectPhase,
  ForwardContext,
  FinishContext,
  ExportContext,
  ExportArtifact,
} from './hooks/SessionHooks';
export type { Plugin, PluginInvariants } from './plugin/Plugin';
export type { PluginMetadata } from './plugin/PluginMetadata';
export { DEFAULT_PLUGIN_METADATA } from './plugin/PluginMetadata';
export { metadataOf } from './plugin/metadataOf';
export type { PluginContext, PluginHooks, TapOnlyHook, TapOnlyHookMap } from './plugin/PluginContext';
export { definePlugin, validatePluginOptions } from './plugin/definePlugin';
export type { PluginDefinition, PluginBody, PluginFactory } from './plugin/definePlugin';
export * from './invariants/index';
export { Composer } from './composer/Composer';
export type { VerifyArgs } from './composer/Composer';
export { OptimizationState, preActivationRangeKey } from './state/OptimizationState';
export type { InvariantRecord, OptimizationStateJson, ActivationRange } from './state/OptimizationState';
export * from './targeting/index';
export { TargetWeight } from './weights/TargetWeight';
export type { LayerVariable } from './weights/TargetWeight';
export { modelLayers, modelWeights } from './weights/modelWeights';
export { isNestedModel } from './weights/isNestedModel';
export { modelGraph } from './graph/modelGraph';
export type { ModelGraph, ModelGraphInput, ModelGraphNode } from './graph/modelGraph';
export { outputChannelLayout, isDepthwiseKernel } from './weights/outputChannelLayout';
export type { OutputChannelLayout } from './weights/outputChannelLayout';
export { ForwardHooks } from './forward/ForwardHooks';
export { setSessionStore, getSessionStore } from './io/SessionStore';
export type { SessionStore } from './io/SessionStore';
export { modelToFiles, modelFromFiles, MODEL_JSON, WEIGHTS_BIN } from './io/modelArtifacts';
export { SeededRandom } from './util/SeededRandom';
export { closestMatch } from './util/closestMatch';
export * from './backend/index';
export * from './errors/index';
