import { describe, expect, it } from "vitest";
import enLogin from "../messages/en/login.json";
import enPhone from "../messages/en/phone.json";
import zhLogin from "../messages/zh-CN/login.json";
import zhPhone from "../messages/zh-CN/phone.json";

/**
 * Words that tell a person which button to press name that button as it is
 * written (issue 20: step 2 said 扫一扫 while the phone's button says 扫码).
 */
const quoted = (text: string) =>
  [...text.matchAll(/<b>(.+?)<\/b>|[“"](.+?)[”"]/g)].map((m) => m[1] ?? m[2]);

describe.each([
  ["en", enLogin, enPhone],
  ["zh-CN", zhLogin, zhPhone],
])("%s", (_, login, phone) => {
  it("the desktop's steps name the phone's Scan and Approve buttons", () => {
    expect(quoted(login.steps.scan)).toEqual([phone.scanner.open]);
    expect(quoted(login.steps.approve)).toEqual([phone.confirm.approve]);
    expect(quoted(phone.home.lead)).toEqual([phone.scanner.open]);
  });
  it("“Can't scan?” names the phone's link to type the code", () => {
    const [link] = quoted(login.code.cantScan);
    expect(link).toBeDefined();
    expect(phone.home.typeCode).toContain(link);
  });
  it("the phone's ended screens name the computer's “Get a new code”", () => {
    for (const text of [
      phone.result.cancelledText,
      phone.result.expiredText,
      phone.result.unfinishedText,
      phone.problem.newCode,
    ]) {
      expect(quoted(text)).toContain(login.newCode);
    }
  });
});
