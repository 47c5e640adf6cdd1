/* fuzz-phone-number.c: the number normalizer (libphonenumber behind its C
 * shim), the digits extractor and the name folder on any text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-text.h"
#include "rl-phone-number.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  static const char *const regions[] = { "ES", "US", "CN", "", "ZZ" };

  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    g_free (rl_phone_number_to_e164 (text, regions[i]));
  g_free (rl_phone_number_digits (text));
  if (g_utf8_validate (text, -1, NULL))
    g_free (rl_text_fold (text));
  return 0;
}
