/* rl-sip-trace.h: what baresip's SIP trace says about how calls began and ended.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RlSipTrace RlSipTrace;

RlSipTrace *rl_sip_trace_new (void);
void rl_sip_trace_free (RlSipTrace *trace);
gboolean rl_sip_trace_feed (RlSipTrace *trace, const char *line);
char *rl_sip_trace_take_reason (RlSipTrace *trace, const char *call_id);
GVariant *rl_sip_trace_take_offer (RlSipTrace *trace, const char *call_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlSipTrace, rl_sip_trace_free)

G_END_DECLS
