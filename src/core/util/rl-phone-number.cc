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

/* The region for numbers written without a country code: the locale's
 * telephone convention (LC_TELEPHONE, which a user may set apart from the
 * language), else the language's region, or NULL. */
char *
rl_phone_number_default_region (void)
{
  const char *const *names = g_get_language_names ();
  char *region = locale_region (setlocale (LC_TELEPHONE, nullptr));

  for (guint i = 0; region == nullptr && names[i]; i++)
    region = locale_region (names[i]);
  return region;
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
