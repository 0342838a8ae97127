// The model's reply while it is being written: live-only token deltas (never stored), shown below the
// stored steps until the finished reply is stored as the step's assistant_message.

export interface Delta {
  blockIndex: number;
  kind: "text" | "thinking";
  text: string;
  step: number;
}

export interface DraftBlock {
  blockIndex: number;
  kind: "text" | "thinking";
  text: string;
}

export interface Draft {
  step: number;
  blocks: DraftBlock[];
}

/** The draft with one more delta: a later step starts over, an earlier one (a stale delta) is dropped. */
export function appendDelta(draft: Draft | null, delta: Delta): Draft | null {
  if (draft && delta.step < draft.step) return draft;
  const blocks = draft && draft.step === delta.step ? draft.blocks : [];
  const index = blocks.findIndex((b) => b.blockIndex === delta.blockIndex && b.kind === delta.kind);
  const next =
    index === -1
      ? [...blocks, { blockIndex: delta.blockIndex, kind: delta.kind, text: delta.text }]
      : blocks.map((b, i) => (i === index ? { ...b, text: b.text + delta.text } : b));
  return { step: delta.step, blocks: next.sort((a, b) => a.blockIndex - b.blockIndex) };
}
