import { describe, expect, it } from "vitest";
import { parseFormBody } from "./formBody";

describe("parseFormBody", () => {
  it("reads Stripe's bracket notation into nested objects and arrays", () => {
    const body =
      "customer=cus_1&items[0][price]=price_1&items[0][quantity]=2&items[1][price]=price_2" +
      "&metadata[tollgate_customer_id]=acme&expand[]=latest_invoice&expand[]=customer";

    expect(parseFormBody(body)).toEqual({
      customer: "cus_1",
      items: [{ price: "price_1", quantity: "2" }, { price: "price_2" }],
      metadata: { tollgate_customer_id: "acme" },
      expand: ["latest_invoice", "customer"],
    });
  });

  it("decodes percent-encoding and '+' as a space, and keeps empty values (Stripe's unset)", () => {
    expect(
      parseFormBody(
        "name=Acme+Corp&email=a%40b.test&description=&success_url=https%3A%2F%2Fx.test%2F%3Fa%3D1",
      ),
    ).toEqual({ name: "Acme Corp", email: "a@b.test", description: "", success_url: "https://x.test/?a=1" });
  });

  it("orders array entries by index, not by arrival", () => {
    expect(parseFormBody("items[1][price]=b&items[0][price]=a")).toEqual({
      items: [{ price: "a" }, { price: "b" }],
    });
  });

  it("reads percent-encoded brackets like plain ones", () => {
    expect(parseFormBody("metadata%5Bkey%5D=v")).toEqual({ metadata: { key: "v" } });
  });

  it("ignores keys that would reach an object's prototype", () => {
    const parsed = parseFormBody("__proto__[polluted]=yes&metadata[__proto__][x]=1&name=a");
    expect(parsed).toEqual({ name: "a" });
    expect(Reflect.get({}, "polluted")).toBeUndefined();
  });
});
