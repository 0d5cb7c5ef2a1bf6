#ifndef TERMCRM_PHONE_SHIM_H
#define TERMCRM_PHONE_SHIM_H

// A C face for Google's libphonenumber (C++), so Swift can call it without C++ interop.

#ifdef __cplusplus
extern "C" {
#endif

/// What `crm_phone_parse` found.
enum {
  /// Not a phone number libphonenumber can read (too short, letters, nothing a number starts with).
  CRM_PHONE_NONE = 0,
  /// A valid number: `e164` holds it.
  CRM_PHONE_VALID = 1,
  /// Written with its own country code (`+…` or an international prefix) and of a possible
  /// length for that country, though not in its numbering plan: `e164` holds it as written.
  CRM_PHONE_POSSIBLE = 2,
  /// Read as a number, but not valid in the region it was read for: `e164` is left empty.
  CRM_PHONE_INVALID = 3,
};

/// Reads `text` (UTF-8, `len` bytes) as a phone number dialled in `region` (ISO 3166 alpha-2,
/// e.g. "RU"). Writes the E.164 form to `e164` (at least 24 bytes) and the extension, if any,
/// to `ext` (at least 24 bytes), both NUL-terminated. Returns one of the CRM_PHONE_ values.
int crm_phone_parse(const char *text, long len, const char *region, char *e164, char *ext);

/// 1 when libphonenumber knows `region` (e.g. "DE"), else 0.
int crm_phone_region_supported(const char *region);

/// The length (1–3) of the country calling code `digits` start with, 0 when none does.
int crm_phone_country_code_length(const char *digits);

#ifdef __cplusplus
}
#endif

#endif
