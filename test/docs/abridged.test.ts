import { describe, expect, it } from "vitest";
import { jsonMismatches, jsonValues, textMismatches } from "./abridged";
import { guideSteps } from "./guideSteps";

describe("an abridged JSON answer", () => {
  const actual = {
    allowed: true,
    limit: null,
    url: "https://checkout.stripe.com/c/pay/cs_test_1",
    entitlements: [
      { feature: "sso", enabled: true, source: { kind: "plan_version" } },
      { feature: "sla_custom", enabled: true, source: { kind: "override" } },
    ],
  };

  it("matches the fields it shows, whatever else the answer holds", () => {
    expect(jsonMismatches({ allowed: true, limit: null }, actual)).toEqual([]);
    expect(
      jsonMismatches({ entitlements: [{ feature: "sla_custom", source: { kind: "override" } }] }, actual),
    ).toEqual([]);
    expect(jsonMismatches({ url: "https://checkout.stripe.com/…", limit: "…" }, actual)).toEqual([]);
  });

  it("names every field that differs or is missing", () => {
    expect(jsonMismatches({ allowed: false, reason: "…" }, actual)).toEqual([
      "$.allowed: expected false, got true",
      "$.reason: missing",
    ]);
    expect(
      jsonMismatches({ entitlements: [{ feature: "sso", source: { kind: "override" } }] }, actual),
    ).toEqual(['$.entitlements[0]: no element matches {"feature":"sso","source":{"kind":"override"}}']);
    expect(jsonMismatches({ url: "https://example.com/…" }, actual)).toHaveLength(1);
    expect(jsonMismatches({ limit: 0 }, actual)).toHaveLength(1);
  });
});

describe("curl's output", () => {
  it("is read as the JSON values printed one after another", () => {
    expect(jsonValues('{"a":"}{"}{"b":[1,{"c":"\\""}]}\n')).toEqual([{ a: "}{" }, { b: [1, { c: '"' }] }]);
  });
});

describe("an abridged text answer", () => {
  const output = 'id: 12\nevent: plan_changed\ndata: {"customerId":"acme","x":1}\n';

  it("matches its lines in order, … standing for anything", () => {
    expect(textMismatches('event: plan_changed\ndata: {"customerId":"acme",…', output)).toEqual([]);
    expect(textMismatches("…\nid: …", output)).toEqual([]);
  });

  it("answers the lines missing or out of order", () => {
    expect(textMismatches("event: plan_adjusted", output)).toEqual(["event: plan_adjusted"]);
    expect(textMismatches("event: plan_changed\nid: 12", output)).toEqual(["id: 12"]);
  });
});

describe("a guide's steps", () => {
  const guide = [
    "Text.",
    "```sh runnable",
    "curl -s $TOLLGATE_URL/v1/track",
    "# → 402",
    "```",
    "Answers (abridged):",
    "```json",
    '{"error": {"code": "limit_exceeded"}}',
    "```",
    "```sh",
    "npm start",
    "```",
    "```ts runnable",
    "console.log(1);",
    "```",
    "```ts runnable",
    "console.log(2);",
    "```",
    "```text",
    "2",
    "```",
  ].join("\n");

  it("are the runnable blocks, each with the answer block right after it and its status", () => {
    expect(guideSteps(guide)).toEqual([
      {
        language: "sh",
        code: "curl -s $TOLLGATE_URL/v1/track\n# → 402",
        line: 2,
        expected: { language: "json", body: '{"error": {"code": "limit_exceeded"}}' },
        lastStatus: 402,
      },
      { language: "ts", code: "console.log(1);", line: 13 },
      { language: "ts", code: "console.log(2);", line: 16, expected: { language: "text", body: "2" } },
    ]);
  });
});
