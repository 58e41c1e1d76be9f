import { describe, expect, it } from "vitest";
import { placeOf } from "./record";

describe("placeOf (GeoIP records)", () => {
  it("reads MaxMind's GeoIP2/GeoLite2 City layout", () => {
    const record = {
      country: { iso_code: "DE", names: { en: "Germany" } },
      subdivisions: [{ names: { en: "Berlin" } }],
      city: { names: { en: "Berlin", de: "Berlin" } },
    };
    expect(placeOf(record)).toEqual({ country: "DE", region: "Berlin", city: "Berlin" });
  });

  it("reads the ip-location-db layout", () => {
    const record = { country_code: "gb", state1: "England", state2: "", city: "London" };
    expect(placeOf(record)).toEqual({ country: "GB", region: "England", city: "London" });
  });

  it("keeps what is known, drops what is empty or malformed, and says nothing for no record", () => {
    expect(placeOf({ country_code: "US", state1: "", city: " " })).toEqual({ country: "US" });
    expect(placeOf({ country_code: "not a code", city: "Paris" })).toEqual({ city: "Paris" });
    expect(placeOf({ registered_country: { iso_code: "FR" } })).toEqual({ country: "FR" });
    expect(placeOf(null)).toBeUndefined();
    expect(placeOf({})).toBeUndefined();
    expect(placeOf("Berlin")).toBeUndefined();
  });
});
