/**
 * The runnable steps of a guide. A step is a fenced block whose info string says `runnable`
 * (```sh runnable or ```ts runnable). The fenced block right after it, when it is ```json or
 * ```text, is its documented answer. A `# → 402` line in a shell step names the HTTP status its
 * last request answers (every other request must answer 2xx).
 */
export interface GuideStep {
  language: "sh" | "ts";
  code: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
  expected?: { language: "json" | "text"; body: string };
  /** The status the step's last request answers, from its `# → NNN` line. */
  lastStatus?: number;
}

interface Fence {
  language: string;
  info: string;
  body: string;
  line: number;
}

function fences(markdown: string): Fence[] {
  const found: Fence[] = [];
  const lines = markdown.split("\n");
  let open: { language: string; info: string; line: number; body: string[] } | undefined;
  for (const [index, text] of lines.entries()) {
    if (!open) {
      const start = /^```(\S*)\s*(.*)$/.exec(text);
      if (start) open = { language: start[1] ?? "", info: start[2] ?? "", line: index + 1, body: [] };
    } else if (/^```\s*$/.test(text)) {
      found.push({ language: open.language, info: open.info, line: open.line, body: open.body.join("\n") });
      open = undefined;
    } else open.body.push(text);
  }
  if (open) throw new Error(`the fence opened at line ${open.line} is never closed`);
  return found;
}

export function guideSteps(markdown: string): GuideStep[] {
  const all = fences(markdown);
  const steps: GuideStep[] = [];
  for (const [i, fence] of all.entries()) {
    if (!/\brunnable\b/.test(fence.info)) continue;
    if (fence.language !== "sh" && fence.language !== "ts") {
      throw new Error(`line ${fence.line}: only sh and ts blocks can be runnable, not ${fence.language}`);
    }
    const next = all[i + 1];
    const answered = next && !/\brunnable\b/.test(next.info) && ["json", "text"].includes(next.language);
    const status = /^#\s*→\s*(\d{3})\b/m.exec(fence.body)?.[1];
    steps.push({
      language: fence.language,
      code: fence.body,
      line: fence.line,
      ...(answered ? { expected: { language: next.language as "json" | "text", body: next.body } } : {}),
      ...(status ? { lastStatus: Number(status) } : {}),
    });
  }
  return steps;
}
