/* rl-agent-status.h: whether the agent takes calls now (seed 001's seat
 * status): idle, busy, or resting for a reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-phone.h"
#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_AGENT_STATUS (rl_agent_status_get_type ())
G_DECLARE_FINAL_TYPE (RlAgentStatus, rl_agent_status, RL, AGENT_STATUS, GObject)

RlAgentStatus *rl_agent_status_new (RlPhone *phone, RlSession *session);
const char *rl_agent_status_get_status (RlAgentStatus *self);
const char *rl_agent_status_get_reason (RlAgentStatus *self);
guint rl_agent_status_get_code (RlAgentStatus *self);
gboolean rl_agent_status_set (RlAgentStatus *self, const char *status, const char *reason,
                              GError **error);
gboolean rl_agent_status_is_valid (const char *status, const char *reason);

G_END_DECLS
