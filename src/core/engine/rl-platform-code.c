/* rl-platform-code.c
 *
 * The codes come in a Reason header (RFC 3326) of the message that ended
 * the call (rl-end-reason.c reads them). The category is a stable word for
 * D-Bus and the records; the text is for the window, translated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlPlatformCode"

#include "config.h"

#include "rl-platform-code.h"

#include <glib/gi18n-lib.h>

static const struct
{
  guint code;
  const char *category;
  const char *text;
} codes[] = {
  /* Try again later. */
  { 800, "network", N_ ("The network failed; try again") },
  { 801, "network", N_ ("The network failed; try again") },
  /* This number cannot be called from here. */
  { 811, "number", N_ ("Calls to this country are restricted") },
  { 812, "number", N_ ("The number is incorrect") },
  { 814, "number", N_ ("The number is blocked") },
  { 816, "number", N_ ("This number cannot be used now") },
  { 819, "number", N_ ("The call through the DID number failed") },
  /* The agent's account cannot call now. */
  { 810, "account", N_ ("The balance is insufficient") },
  { 815, "account", N_ ("The call limit has been reached") },
  { 817, "account", N_ ("Today's call limit has been reached") },
  /* Sign in again. */
  { RL_PLATFORM_CODE_LOGIN_EXPIRED, "sign-in", N_ ("Your sign-in has expired; sign in again") },
};

static gint
find (guint code)
{
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    if (codes[i].code == code)
      return (gint) i;
  return -1;
}

/**
 * rl_platform_code_category:
 *
 * Returns: (nullable): network, number, account or sign-in for the codes
 *   seed 001 lists, platform for any other, %NULL for 0 (none)
 */
const char *
rl_platform_code_category (guint code)
{
  gint i = find (code);

  if (code == 0)
    return NULL;
  return i < 0 ? "platform" : codes[i].category;
}

/**
 * rl_platform_code_text:
 *
 * Returns: (nullable): what the code means, translated; %NULL when it is
 *   not one of the known codes (show the platform's own text then)
 */
const char *
rl_platform_code_text (guint code)
{
  gint i = find (code);

  return i < 0 ? NULL : _ (codes[i].text);
}
