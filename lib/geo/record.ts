/**
 * A GeoIP record as a place: MaxMind's GeoIP2/GeoLite2 City layout
 * (`country.iso_code`, `subdivisions[0].names.en`, `city.names.en`) or the
 * ip-location-db layout (`country_code`, `state1`, `city`). Country is the
 * ISO 3166-1 alpha-2 code (the phone names it in its own language).
 */
export interface Place {
  country?: string;
  region?: string;
  city?: string;
}

type Names = { names?: Record<string, string> };
type GeoRecord = {
  country?: { iso_code?: string };
  registered_country?: { iso_code?: string };
  subdivisions?: Names[];
  city?: Names | string;
  country_code?: string;
  state1?: string;
};

const text = (value: unknown) =>
  typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, 100) : undefined;

export function placeOf(raw: unknown): Place | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const r = raw as GeoRecord;
  const code = text(r.country?.iso_code ?? r.country_code ?? r.registered_country?.iso_code);
  const country = code && /^[A-Za-z]{2}$/.test(code) ? code.toUpperCase() : undefined;
  const region = text(r.subdivisions?.[0]?.names?.en ?? r.state1);
  const city = text(typeof r.city === "string" ? r.city : r.city?.names?.en);
  if (!country && !region && !city) return undefined;
  return {
    ...(country ? { country } : {}),
    ...(region ? { region } : {}),
    ...(city ? { city } : {}),
  };
}
