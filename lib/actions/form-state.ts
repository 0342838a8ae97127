/** What every form action returns: the form renders errors next to fields and keeps its values. */
export interface FormState<T = unknown> {
  ok: boolean;
  /** Success feedback, shown as a toast. */
  message?: string;
  /** A problem with the whole form. */
  error?: string;
  fieldErrors?: Record<string, string>;
  /** The submitted values (never passwords), so the form can show them again. */
  values?: Record<string, string>;
  data?: T;
  /** Changes on every submission so the form can react to repeated identical results. */
  at?: number;
}

export const initialFormState: FormState = { ok: false };
