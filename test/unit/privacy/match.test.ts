import { describe, expect, it } from "vitest";
import { erasedKeys, eventMatches, mayMention, rejectIdentifiers, rejectMatches, withoutLines } from "../../../collector/privacy/match";

// Which stored lines belong to an erased person: events by any id they carry, refusals by the ids
// their payload text names (even cut short), NDJSON objects rewritten keeping other lines exact.

const HASH = "36333d531acfac3dddf4ee707db72d15e5d35844a8ccde4caf1babbf134cf1f1";
const keys = erasedKeys([
  { kind: "anonymous_id", value: "jane-laptop" },
  { kind: "user_id", value: "u-jane" },
  { kind: "email_hash", value: HASH },
]);

describe("events", () => {
  it("match by anonymous id, user id, email hash or an alias's previous id", () => {
    expect(eventMatches({ anonymous_id: "jane-laptop", user_id: null }, keys)).toBe(true);
    expect(eventMatches({ anonymous_id: null, user_id: "u-jane" }, keys)).toBe(true);
    expect(eventMatches({ anonymous_id: "shared-kiosk", email_hash: HASH }, keys)).toBe(true);
    expect(eventMatches({ anonymous_id: "new", previous_id: "jane-laptop" }, keys)).toBe(true);
    expect(eventMatches({ anonymous_id: "new", previous_id: "u-jane" }, keys)).toBe(true);
    expect(eventMatches({ anonymous_id: "bob-laptop", user_id: "u-bob", email_hash: "0fc3" }, keys)).toBe(false);
    // A kind is a kind: Jane's user id as somebody's anonymous id is not hers.
    expect(eventMatches({ anonymous_id: "u-jane" }, keys)).toBe(false);
  });
});

describe("refused events", () => {
  it("name their ids in the payload, also escaped, numeric or cut short", () => {
    expect(rejectIdentifiers('{"type":"nope","anonymousId":"jane-laptop","userId":42}')).toEqual([
      { kind: "anonymous_id", value: "jane-laptop" },
      { kind: "user_id", value: "42" },
    ]);
    expect(rejectIdentifiers('{"userId":"a\\"b","previousId":"p-1"')).toEqual([
      { kind: "user_id", value: 'a"b' },
      { kind: "anonymous_id", value: "p-1" },
      { kind: "user_id", value: "p-1" },
    ]);
    // Redaction put a hash where an email was; the 32 KB cut left the JSON unfinished.
    expect(rejectIdentifiers(`{"traits":{"contact":"${HASH}","note":"x`)).toEqual([{ kind: "email_hash", value: HASH }]);
  });

  it("match when any named id is the person's", () => {
    expect(rejectMatches({ payload: '{"anonymousId":"jane-laptop"}' }, keys)).toBe(true);
    expect(rejectMatches({ payload: `{"properties":{"who":"${HASH}"}}` }, keys)).toBe(true);
    expect(rejectMatches({ payload: '{"anonymousId":"bob-laptop","note":"jane-laptop"}' }, keys)).toBe(false);
    expect(rejectMatches({ payload: "not json at all" }, keys)).toBe(false);
  });
});

describe("NDJSON objects", () => {
  it("lose the person's lines and keep every other line byte for byte", () => {
    const lines = [
      '{"message_id":"b-1","anonymous_id":"bob-laptop","properties":"{\\"a\\": 1.50}","seq":7}',
      '{"message_id":"j-1","anonymous_id":"jane-laptop","seq":8}',
      "not json: kept rather than lost",
      '{"message_id":"j-2","anonymous_id":null,"user_id":"u-jane","seq":9}',
    ];
    const out = withoutLines(lines.join("\n") + "\n", (row) => eventMatches(row, keys));
    expect(out).toEqual({ text: `${lines[0]}\n${lines[2]}\n`, lines: 2, removed: 2 });
    expect(withoutLines('{"message_id":"j-1","anonymous_id":"jane-laptop"}\n', (row) => eventMatches(row, keys))).toEqual({ text: "", lines: 0, removed: 1 });
  });

  it("are parsed only when an id can be in them", () => {
    expect(mayMention('{"anonymous_id":"bob-laptop"}', keys)).toBe(false);
    expect(mayMention('{"anonymous_id":"jane-laptop"}', keys)).toBe(true);
    // An id JSON escapes may not appear as it is: always parsed.
    expect(mayMention('{"anonymous_id":"bob"}', erasedKeys([{ kind: "user_id", value: 'say "hi"' }]))).toBe(true);
  });
});
