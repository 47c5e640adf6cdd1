/* rl-end-reason.h: why a call ended, as one table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *category; /* local-hangup, remote-hangup, busy, ... */
  guint code;           /* SIP status code, 0 when there was none */
  char *text;           /* SIP reason phrase or the engine's words */
  /* From the Reason header the network sent (RFC 3326), when it sent one:
   * a platform's own hang-up code, e.g. seed 001's 800-819. */
  guint platform_code;
  char *platform_text;
  char *platform_protocol;
} RlEndReason;

void rl_end_reason_from_engine (const char *param, RlEndReason *out);
gboolean rl_end_reason_read_header (const char *header, RlEndReason *out);
void rl_end_reason_clear (RlEndReason *reason);
const char *rl_end_reason_category_for_code (guint code);

#define RL_END_LOCAL_HANGUP "local-hangup"
#define RL_END_REMOTE_HANGUP "remote-hangup"
#define RL_END_CANCELLED "cancelled"
#define RL_END_BUSY "busy"
#define RL_END_FAILED "failed"
#define RL_END_NETWORK "network"

G_END_DECLS
