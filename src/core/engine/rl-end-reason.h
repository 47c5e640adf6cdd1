/* rl-end-reason.h: why a call ended, as one table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Why a call ended, as a CRM acts on it; the nicks are the D-Bus words. */
typedef enum
{
  RL_END_LOCAL_HANGUP,
  RL_END_REMOTE_HANGUP,
  RL_END_CANCELLED,
  RL_END_DECLINED,
  RL_END_REJECTED,
  RL_END_BUSY,
  RL_END_NOT_FOUND,
  RL_END_NO_ANSWER,
  RL_END_AUTH_FAILED,
  RL_END_UNREACHABLE,
  RL_END_TRANSFERRED,
  RL_END_NETWORK,
  RL_END_FAILED,
} RlEndCategory;

typedef struct
{
  RlEndCategory category;
  guint code; /* SIP status code, 0 when there was none */
  char *text; /* SIP reason phrase or the engine's words */
  /* From the Reason header the network sent (RFC 3326), when it sent one:
   * a platform's own hang-up code, e.g. 800-819 (docs/dbus-api.md). */
  guint platform_code;
  char *platform_text;
  char *platform_protocol;
} RlEndReason;

void rl_end_reason_from_engine (const char *param, RlEndReason *out);
gboolean rl_end_reason_read_header (const char *header, RlEndReason *out);
void rl_end_reason_split_param (char **param, char **header);
void rl_end_reason_clear (RlEndReason *reason);
const char *rl_end_category_to_string (RlEndCategory category);

G_END_DECLS
