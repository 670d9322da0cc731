/**
 * Inline editor for a JSON value: a textarea (raw text when the value is a
 * string, pretty JSON otherwise) with Save / Cancel and an error line. Local
 * JSON syntax errors are shown at once; schema errors come back from Python
 * (`edit_error` / `revert_error`) and are shown with `showError`.
 */

import type { JsonValue } from "../protocol";
import { button, h } from "./dom";

export class InlineEditor {
  readonly el: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly error: HTMLElement;
  private readonly textMode: boolean;

  constructor(
    initial: JsonValue,
    private readonly onSave: (value: JsonValue) => void,
    private readonly onCancel: () => void,
    label = "Edited value",
  ) {
    this.textMode = typeof initial === "string";
    const text = this.textMode ? (initial as string) : JSON.stringify(initial, null, 2);
    this.input = h("textarea", {
      class: "sn-edit-input",
      "data-testid": "sn-edit-input",
      "aria-label": this.textMode ? `${label} (text)` : `${label} (JSON)`,
      rows: Math.min(16, Math.max(4, text.split("\n").length + 1)),
      spellcheck: "false",
    });
    this.input.value = text;
    this.input.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") this.onCancel();
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) this.save();
    });
    this.error = h("div", {
      class: "sn-edit-error",
      "data-testid": "sn-edit-error",
      role: "alert",
    });
    this.error.hidden = true;
    this.el = h("div", { class: "sn-editor" }, [
      this.input,
      this.error,
      h("div", { class: "sn-actions" }, [
        button("Save", "sn-edit-save", () => this.save()),
        button("Cancel", "sn-edit-cancel", () => this.onCancel()),
      ]),
    ]);
  }

  focus(): void {
    this.input.focus();
  }

  showError(message: string): void {
    this.error.textContent = message;
    this.error.hidden = !message;
  }

  private save(): void {
    if (this.textMode) {
      this.showError("");
      this.onSave(this.input.value);
      return;
    }
    let value: JsonValue;
    try {
      value = JSON.parse(this.input.value) as JsonValue;
    } catch (err) {
      this.showError(`Not valid JSON: ${(err as Error).message}`);
      return;
    }
    this.showError("");
    this.onSave(value);
  }
}
