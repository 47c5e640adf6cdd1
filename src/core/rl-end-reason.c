/* rl-end-reason.c
 *
 * baresip reports the end of a call as text: a SIP status line ("486 Busy
 * Here") or an errno string ("Connection reset by peer"). Both are mapped
 * here, once, to a category a CRM can act on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-end-reason.h"

#include <stdlib.h>
#include <string.h>

static const struct
{
  guint first, last;
  const char *category;
} code_table[] = {
  { 486, 486, "busy" },      { 600, 600, "busy" },        { 603, 603, "declined" },
  { 404, 404, "not-found" }, { 604, 604, "not-found" },   { 484, 485, "not-found" },
  { 410, 410, "not-found" }, { 408, 408, "no-answer" },   { 480, 480, "no-answer" },
  { 487, 487, "cancelled" }, { 401, 401, "auth-failed" }, { 407, 407, "auth-failed" },
  { 403, 403, "rejected" },  { 502, 504, "unreachable" }, { 400, 499, "rejected" },
  { 500, 599, "failed" },    { 605, 699, "rejected" },
};

static const struct
{
  const char *text;
  const char *category;
} text_table[] = {
  { "Connection reset by user", RL_END_LOCAL_HANGUP },
  { "Connection reset by peer", RL_END_REMOTE_HANGUP },
  { "Call transfered", "transferred" },
  { "Call transferred", "transferred" },
  { "Connection timed out", "unreachable" },
  { "Connection refused", "unreachable" },
  { "Network is unreachable", "unreachable" },
  { "No route to host", "unreachable" },
  { "Operation not supported", RL_END_FAILED },
};

const char *
rl_end_reason_category_for_code (guint code)
{
  for (guint i = 0; i < G_N_ELEMENTS (code_table); i++)
    if (code >= code_table[i].first && code <= code_table[i].last)
      return code_table[i].category;
  return RL_END_FAILED;
}

void
rl_end_reason_from_engine (const char *param, RlEndReason *out)
{
  const char *text = param ? param : "";
  char *end = NULL;
  long code = strtol (text, &end, 10);

  out->code = 0;
  if (end != text && code >= 300 && code <= 699 && (*end == ' ' || *end == '\0'))
    {
      out->code = code;
      out->category = rl_end_reason_category_for_code (code);
      out->text = g_strstrip (g_strdup (end));
      return;
    }
  out->category = RL_END_FAILED;
  for (guint i = 0; i < G_N_ELEMENTS (text_table); i++)
    if (g_ascii_strcasecmp (text, text_table[i].text) == 0)
      out->category = text_table[i].category;
  out->text = g_strdup (text);
}

void
rl_end_reason_clear (RlEndReason *reason)
{
  g_clear_pointer (&reason->text, g_free);
  reason->category = NULL;
  reason->code = 0;
}
