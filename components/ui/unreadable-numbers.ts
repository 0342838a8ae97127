// A number input holding text the browser can't read as a number ("1e", "12..5", a pasted "ten") submits
// as "" — the same as an empty field, which means "use the default". Checked before the form is sent, so
// such a value gets an error beside its field instead of silently becoming the default, and the form,
// not being sent, keeps everything that was typed.

/** The named number inputs of `form` whose text isn't a number: field name → "<Label> must be a number." */
export function unreadableNumbers(
  form: HTMLFormElement,
  labels: Record<string, string>,
): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [name, label] of Object.entries(labels)) {
    const input = form.elements.namedItem(name);
    if (input instanceof HTMLInputElement && input.validity.badInput)
      found[name] = `${label} must be a number.`;
  }
  return found;
}
