/* rl-phone-number.h: phone numbers in E.164, by libphonenumber.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *rl_phone_number_to_e164 (const char *number, const char *region);
char *rl_phone_number_default_region (const char *fallback);
char *rl_phone_number_region_for_country (const char *country);
char *rl_phone_number_digits (const char *number);

G_END_DECLS
