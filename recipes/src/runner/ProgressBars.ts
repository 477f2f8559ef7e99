import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { formatPercent } from '../report/formatPercent';
import { resultCells } from '../report/resultCells';
import { int8RuntimeOf } from '../report/int8ColumnRuntime';
import { TFLITE_RUNTIME_LABELS } from './TfliteRuntime';
import type { BatchEvent, EpochEvent, ProgressListener, StageBeginEvent } from './ProgressListener';
import type { StageRecord } from './StageRecord';

/** Options of {@link ProgressBars}. */
export interface ProgressBarsOptions {
  /** Where to draw; default `process.stderr` (stdout stays free for tables and `--json`). */
  readonly stream?: NodeJS.WriteStream;
  /** Draw bars (a terminal) or print one line per epoch and stage (logs, CI). Default: `stream.isTTY`. */
  readonly bars?: boolean;
  /** Where lines go while no bars are drawn; default: written to `stream`. */
  readonly log?: (line: string) => void;
}

const fmtLoss = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '-');
const fmtAcc = (x: number | undefined) => (x === undefined ? '-' : formatPercent(x));

/**
 * The CLI's progress display (cli-progress): on a terminal, a bar for the stages of the recipe and
 * a bar for the batches of the current epoch with loss and accuracy; elsewhere one line per
 * epoch and per stage. Finished stages are logged above the bars with their results.
 */
export class ProgressBars implements ProgressListener {
  private readonly stream: NodeJS.WriteStream;
  private readonly bars: boolean;
  private readonly log: (line: string) => void;
  private multi: MultiBar | null = null;
  private stagesBar: SingleBar | null = null;
  private batchBar: SingleBar | null = null;
  private current: StageBeginEvent | null = null;
  private epoch = 0;

  constructor(options: ProgressBarsOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.bars = options.bars ?? Boolean(this.stream.isTTY);
    this.log = options.log ?? ((line) => void this.stream.write(`${line}\n`));
  }

  stageBegin(e: StageBeginEvent): void {
    this.current = e;
    this.epoch = 0;
    if (e.reusedFrom !== null) return;
    if (!this.bars) {
      this.line(`${e.recipe} ▸ [${e.index + 1}/${e.count}] ${e.name}${e.epochs > 0 ? `: ${e.epochs} epoch(s) of ${e.stepsPerEpoch} batches` : ''}`);
      return;
    }
    this.multi ??= new MultiBar(
      {
        stream: this.stream,
        hideCursor: true,
        clearOnComplete: false,
        autopadding: true,
        format: ' {label} |{bar}| {value}/{total} {detail}',
      },
      Presets.shades_classic,
    );
    this.stagesBar ??= this.multi.create(e.count, e.index, { label: `${e.recipe} stages`, detail: '' });
    this.stagesBar.update(e.index, { label: `${e.recipe} stages`, detail: `▸ ${e.name}` });
    if (this.batchBar) this.multi.remove(this.batchBar);
    this.batchBar = e.epochs > 0 ? this.multi.create(e.stepsPerEpoch, 0, { label: this.epochLabel(), detail: '' }) : null;
  }

  batchEnd(e: BatchEvent): void {
    this.batchBar?.update(e.batch + 1, { label: this.epochLabel(), detail: `loss ${fmtLoss(e.loss)} acc ${fmtAcc(e.accuracy)}` });
  }

  epochEnd(e: EpochEvent): void {
    this.epoch = e.epoch + 1;
    if (!this.bars && this.current) {
      this.line(`  ${this.current.name} epoch ${e.epoch + 1}/${e.epochs}: loss ${fmtLoss(e.loss)} acc ${fmtAcc(e.accuracy)}`);
    }
  }

  activity(what: string): void {
    if (this.current) this.stagesBar?.update({ label: `${this.current.recipe} stages`, detail: `▸ ${this.current.name}: ${what}` });
  }

  stageEnd(record: StageRecord, dir: string): void {
    const c = resultCells(record);
    const runtime = int8RuntimeOf(record);
    const reused = this.current?.reusedFrom != null;
    const text = `${reused ? '↺' : '✓'} ${record.path.join(' → ')}  FP32 ${c.fp32}  INT8${runtime ? ` (${TFLITE_RUNTIME_LABELS[runtime]})` : ''} ${c.int8}  ${c.compression}${reused ? `  (reused ${dir})` : `  ${record.training.seconds.toFixed(1)} s`}`;
    this.line(`${this.current?.recipe ?? record.recipe}: ${text}`);
    if (this.batchBar && this.multi) {
      this.multi.remove(this.batchBar);
      this.batchBar = null;
    }
    if (this.current && this.stagesBar) {
      this.stagesBar.update(this.current.index + 1, { label: `${this.current.recipe} stages`, detail: '' });
      if (this.current.index + 1 === this.current.count) {
        this.multi?.remove(this.stagesBar);
        this.stagesBar = null;
      }
    }
  }

  warn(message: string): void {
    this.line(`warning: ${message}`);
  }

  /** Prints a line above the bars (or plainly without bars). */
  info(message: string): void {
    this.line(message);
  }

  /** Removes the bars (call before printing results, and on errors). */
  stop(): void {
    this.multi?.stop();
    this.multi = null;
    this.stagesBar = null;
    this.batchBar = null;
  }

  private epochLabel(): string {
    return `${this.current?.name ?? ''} epoch ${this.epoch + 1}/${this.current?.epochs ?? 0}`;
  }

  private line(text: string): void {
    if (this.multi) this.multi.log(`${text}\n`);
    else this.log(text);
  }
}
