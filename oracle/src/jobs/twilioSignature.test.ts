import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isValidTwilioSignature, parseFormBody, twilioSignature } from "./twilioSignature.ts";

/*
 * Expected signatures were computed outside this code, with openssl over the string Twilio
 * documents (URL, then each sorted name followed by its value):
 *   printf '%s' '<url><Name1><value1>…' | openssl dgst -sha1 -hmac '<token>' -binary | base64
 * The first is also the example in Twilio's webhook-security documentation.
 */
describe("twilioSignature", () => {
  it("matches Twilio's documented example", () => {
    const params = new Map([
      ["CallSid", ["CA1234567890ABCDE"]],
      ["Caller", ["+12349013030"]],
      ["Digits", ["1234"]],
      ["From", ["+12349013030"]],
      ["To", ["+18005551212"]],
    ]);
    assert.equal(
      twilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params),
      "0/KCTR6DLpKmkAf8muzZqo1nDgQ=",
    );
  });

  it("signs an inbound SMS webhook body as posted (names sorted, values decoded)", () => {
    const body =
      "To=%2B4930123456&From=%2B4915112345678&Body=stop++Press+7+++40&MessageSid=SM1111&NumMedia=0&AccountSid=AC0000000000000000000000000000000a";
    const url = "https://gw.example.com/v1/sms/twilio";
    const params = parseFormBody(body);
    assert.equal(twilioSignature("tok-abc", url, params), "D6yBuF/YWv3UvZGQ2lcBxPvUgx8=");
    assert.ok(isValidTwilioSignature("tok-abc", url, params, "D6yBuF/YWv3UvZGQ2lcBxPvUgx8="));
  });

  it("hashes UTF-8 values and reserved characters as decoded text", () => {
    const params = parseFormBody("From=%2B49151&Body=hi+%26+bye%3D1+%C3%84");
    assert.equal(
      twilioSignature("k", "https://gw.example.com/v1/sms/twilio", params),
      "9V7cteCfuxy0i1encJHyEz5fzuc=",
    );
  });

  it("refuses a missing signature, another token, another URL or a changed body", () => {
    const url = "https://gw.example.com/v1/sms/twilio";
    const params = parseFormBody("From=%2B49151&Body=STOP+press7+40");
    const good = twilioSignature("secret", url, params);
    assert.ok(isValidTwilioSignature("secret", url, params, good));
    assert.equal(isValidTwilioSignature("secret", url, params, undefined), false);
    assert.equal(isValidTwilioSignature("other", url, params, good), false);
    assert.equal(isValidTwilioSignature("secret", `${url}?x=1`, params, good), false);
    const changed = parseFormBody("From=%2B49151&Body=STOP+press7+4000");
    assert.equal(isValidTwilioSignature("secret", url, changed, good), false);
  });
});
