export interface DraftText {
  title: string;
  body: string;
}

export type DraftSaveState = 'saving' | 'saved' | 'failed';

export interface DraftSaverOptions<Saved extends { id: string }> {
  limits: { title: number; body: number };
  /** The first save of a new reflection. */
  create(text: DraftText): Promise<Saved>;
  save(id: string, text: DraftText): Promise<Saved>;
  /** Told of each save as it starts and ends; `saved` carries the server's answer. */
  onState(state: DraftSaveState, saved?: Saved): void;
}

/**
 * Keeps a draft saved as the member writes: one save at a time, in order, each sending the latest text; a new
 * reflection is created on its first save with something in it; nothing is sent while the text is over a limit
 * (the page says so) or unchanged; a failed save is tried again with the next.
 */
export class DraftSaver<Saved extends { id: string }> {
  private text: DraftText;
  private dirty = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    initial: DraftText,
    private currentId: string | null,
    private readonly options: DraftSaverOptions<Saved>,
  ) {
    this.text = { ...initial };
  }

  get id(): string | null {
    return this.currentId;
  }

  get latest(): DraftText {
    return { ...this.text };
  }

  change(next: Partial<DraftText>): void {
    this.text = { ...this.text, ...next };
    this.dirty = true;
  }

  /** The reflection now exists under `id` (e.g. created and sent in one step). */
  adopt(id: string, text: DraftText): void {
    this.currentId = id;
    this.text = { ...text };
    this.dirty = false;
  }

  /** Saves the latest text if it needs saving, after any save under way; resolves when done. */
  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.saveOnce());
    return this.chain;
  }

  private async saveOnce(): Promise<void> {
    if (!this.dirty) return;
    const snapshot = { ...this.text };
    const { limits } = this.options;
    if (!this.currentId && !snapshot.body.trim() && !snapshot.title.trim()) return;
    if (snapshot.body.length > limits.body || snapshot.title.length > limits.title) return;
    this.dirty = false;
    this.options.onState('saving');
    try {
      const saved = this.currentId ? await this.options.save(this.currentId, snapshot) : await this.options.create(snapshot);
      this.currentId = saved.id;
      this.options.onState('saved', saved);
    } catch {
      this.dirty = true;
      this.options.onState('failed');
    }
  }
}
