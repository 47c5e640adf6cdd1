/* rl-phone-number.cc
 *
 * The only C++ in Ringline: a C face for libphonenumber's parser. Its
 * PhoneNumberUtil is a thread-safe singleton, so importers call this from
 * worker threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlPhoneNumber"

#include "rl-phone-number.h"

#include <phonenumbers/phonenumberutil.h>

#include <clocale>
#include <cstdlib>
#include <cstring>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

/**
 * rl_phone_number_to_e164:
 * @region: (nullable): the ISO 3166 region for numbers written without
 *   their country code ("ES": "917370192" is +34917370192)
 *
 * Returns: (transfer full) (nullable): "+34917370192", or NULL when it is
 * not a phone number (an extension, a SIP user, garbage).
 */
char *
rl_phone_number_to_e164 (const char *number, const char *region)
{
  PhoneNumberUtil *util = PhoneNumberUtil::GetInstance ();
  PhoneNumber parsed;
  std::string out;

  if (number == nullptr || *number == '\0')
    return nullptr;
  try
    {
      if (util->Parse (number, region && *region ? region : "ZZ", &parsed)
          != PhoneNumberUtil::NO_PARSING_ERROR)
        return nullptr;
      if (!util->IsPossibleNumber (parsed))
        return nullptr;
      util->Format (parsed, PhoneNumberUtil::E164, &out);
    }
  catch (...)
    {
      return nullptr;
    }
  return g_strdup (out.c_str ());
}

/* "es_ES.UTF-8" → "ES"; NULL without a two-letter region. */
static char *
locale_region (const char *locale)
{
  const char *underscore = locale ? strchr (locale, '_') : nullptr;

  if (underscore == nullptr || strcspn (underscore + 1, ".@") != 2)
    return nullptr;
  return g_ascii_strup (underscore + 1, 2);
}

/**
 * rl_phone_number_default_region:
 * @fallback: (nullable): the region to use when the locale's telephone
 *   convention names none (the account's country)
 *
 * The region for numbers written without a country code: the locale's
 * telephone convention (LC_TELEPHONE, which a user may set apart from the
 * language), else @fallback, else the language's region.
 *
 * Returns: (transfer full) (nullable): "ES", or NULL
 */
char *
rl_phone_number_default_region (const char *fallback)
{
  const char *const *names = g_get_language_names ();
  char *region = locale_region (setlocale (LC_TELEPHONE, nullptr));

  if (region == nullptr && fallback && *fallback)
    region = g_ascii_strup (fallback, -1);
  for (guint i = 0; region == nullptr && names[i]; i++)
    region = locale_region (names[i]);
  return region;
}

/**
 * rl_phone_number_region_for_country:
 * @country: an ISO 3166 region ("HK") or a country calling code ("852",
 *   "+852"), as call platforms give a country
 *
 * A calling code that several regions share gives its main one ("1": US).
 *
 * Returns: (transfer full) (nullable): "HK", or NULL when @country names
 * no region libphonenumber knows
 */
char *
rl_phone_number_region_for_country (const char *country)
{
  PhoneNumberUtil *util = PhoneNumberUtil::GetInstance ();
  const char *digits = country && *country == '+' ? country + 1 : country;
  std::string region;

  if (country == nullptr)
    return nullptr;
  if (strlen (country) == 2 && g_ascii_isalpha (country[0]) && g_ascii_isalpha (country[1]))
    {
      g_autofree char *upper = g_ascii_strup (country, 2);

      return util->GetCountryCodeForRegion (upper) ? g_steal_pointer (&upper) : nullptr;
    }
  if (*digits == '\0' || strlen (digits) > 3 || strspn (digits, "0123456789") != strlen (digits))
    return nullptr;
  util->GetRegionCodeForCountryCode (atoi (digits), &region);
  if (region.empty () || region == "ZZ" || region == "001")
    return nullptr;
  return g_strdup (region.c_str ());
}

/* Only the digits of @number: what substring search matches on. */
char *
rl_phone_number_digits (const char *number)
{
  GString *digits = g_string_new (nullptr);

  for (const char *p = number ? number : ""; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  return g_string_free (digits, FALSE);
}
