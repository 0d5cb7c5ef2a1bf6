#include "phone_shim.h"

#include <phonenumbers/phonenumberutil.h>

#include <cstring>
#include <set>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

const PhoneNumberUtil &util() { return *PhoneNumberUtil::GetInstance(); }

void copy(const std::string &s, char *out) {
  size_t n = s.size() < 23 ? s.size() : 23;
  std::memcpy(out, s.data(), n);
  out[n] = 0;
}

/// The Russian national and +7 forms, by far the most common here, without the general parser
/// (its regular expressions cost several times more): `+7`, `7` or `8` and ten digits, or ten
/// digits, with spaces, brackets, dots, slashes and dashes. Only a number that is then valid is
/// taken; anything else goes through Parse, so the result is always the one Parse would give.
bool fastRussian(const char *text, long len, bool regionRU, PhoneNumber *n) {
  char digits[16];
  int count = 0;
  bool plus = false;
  for (long i = 0; i < len; i++) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      if (count == 15) return false;
      digits[count++] = c;
    } else if (c == '+' && count == 0 && !plus) {
      plus = true;
    } else if (c != ' ' && c != '(' && c != ')' && c != '-' && c != '.' && c != '/') {
      return false;
    }
  }
  const char *national;
  if (count == 11 && digits[0] == '7' && (plus || regionRU)) {
    national = digits + 1;
  } else if (count == 11 && digits[0] == '8' && !plus && regionRU) {
    national = digits + 1;
  } else if (count == 10 && !plus && regionRU && digits[0] != '8' && digits[0] != '0') {
    national = digits;
  } else {
    return false;
  }
  unsigned long long value = 0;
  for (int i = 0; i < 10; i++) value = value * 10 + (unsigned)(national[i] - '0');
  n->set_country_code(7);
  n->set_national_number(value);
  return util().IsValidNumber(*n);
}

}  // namespace

extern "C" int crm_phone_parse(const char *text, long len, const char *region, char *e164,
                               char *ext) {
  e164[0] = 0;
  ext[0] = 0;
  if (len <= 0 || len > 200) return CRM_PHONE_NONE;
  const PhoneNumberUtil &u = util();
  const std::string regionCode(region);
  PhoneNumber n;
  std::string out;
  if (fastRussian(text, len, regionCode == "RU", &n)) {
    u.Format(n, PhoneNumberUtil::E164, &out);
    copy(out, e164);
    return CRM_PHONE_VALID;
  }
  std::string input(text, (size_t)len);
  n.Clear();
  if (u.ParseAndKeepRawInput(input, regionCode, &n) != PhoneNumberUtil::NO_PARSING_ERROR) {
    return CRM_PHONE_NONE;
  }
  if (!u.IsValidNumber(n)) {
    // `00` is the international prefix of most of the world, though not of every region's
    // metadata (Russia's is 810): `00 1 212…` dialled from anywhere is +1 212….
    size_t first = input.find_first_not_of(" \t(-.");
    if (first != std::string::npos && input.compare(first, 2, "00") == 0) {
      PhoneNumber intl;
      std::string plus = "+" + input.substr(first + 2);
      if (u.Parse(plus, regionCode, &intl) == PhoneNumberUtil::NO_PARSING_ERROR &&
          u.IsValidNumber(intl)) {
        n = intl;
        n.set_country_code_source(PhoneNumber::FROM_NUMBER_WITH_IDD);
      }
    }
  }
  if (n.has_extension()) copy(n.extension(), ext);
  if (u.IsValidNumber(n)) {
    u.Format(n, PhoneNumberUtil::E164, &out);
    copy(out, e164);
    return CRM_PHONE_VALID;
  }
  bool ownCountry = n.country_code_source() == PhoneNumber::FROM_NUMBER_WITH_PLUS_SIGN ||
                    n.country_code_source() == PhoneNumber::FROM_NUMBER_WITH_IDD;
  if (ownCountry && u.IsPossibleNumber(n)) {
    u.Format(n, PhoneNumberUtil::E164, &out);
    copy(out, e164);
    return CRM_PHONE_POSSIBLE;
  }
  return CRM_PHONE_INVALID;
}

extern "C" int crm_phone_region_supported(const char *region) {
  std::set<std::string> regions;
  util().GetSupportedRegions(&regions);
  return regions.count(region) ? 1 : 0;
}

extern "C" int crm_phone_country_code_length(const char *digits) {
  for (int length = 1; length <= 3; length++) {
    int code = 0;
    for (int i = 0; i < length; i++) {
      if (digits[i] < '0' || digits[i] > '9') return 0;
      code = code * 10 + (digits[i] - '0');
    }
    std::string region;
    util().GetRegionCodeForCountryCode(code, &region);
    if (region != "ZZ") return length;
  }
  return 0;
}
