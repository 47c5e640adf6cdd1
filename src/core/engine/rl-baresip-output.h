/* rl-baresip-output.h: baresip's stdout and stderr, read as they come:
 * SIP trace lines go to the trace, the rest to the debug log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-sip-trace.h"

#include <gio/gio.h>

G_BEGIN_DECLS

#define RL_TYPE_BARESIP_OUTPUT (rl_baresip_output_get_type ())
G_DECLARE_FINAL_TYPE (RlBaresipOutput, rl_baresip_output, RL, BARESIP_OUTPUT, GObject)

RlBaresipOutput *rl_baresip_output_new (GInputStream *stream, RlSipTrace *trace);
gboolean rl_baresip_output_drain (RlBaresipOutput *self);
const char *rl_baresip_output_get_local_address (RlBaresipOutput *self);

G_END_DECLS
