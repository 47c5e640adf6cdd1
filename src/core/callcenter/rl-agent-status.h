/* rl-agent-status.h: whether the agent takes calls now (the call center's seat
 * status): idle, busy, or resting for a reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-phone.h"
#include "rl-session.h"

G_BEGIN_DECLS

/* The call center's seat states; the nicks are the words of D-Bus and the backend. */
typedef enum
{
  RL_AGENT_STATE_IDLE,
  RL_AGENT_STATE_BUSY,
  RL_AGENT_STATE_REST,
  RL_AGENT_STATE_WRAP_UP, /* after a call, for the wrap-up-seconds setting */
} RlAgentState;

#define RL_TYPE_AGENT_STATUS (rl_agent_status_get_type ())
G_DECLARE_FINAL_TYPE (RlAgentStatus, rl_agent_status, RL, AGENT_STATUS, GObject)

RlAgentStatus *rl_agent_status_new (RlPhone *phone, RlSession *session);
RlAgentState rl_agent_status_get_state (RlAgentStatus *self);
const char *rl_agent_status_get_reason (RlAgentStatus *self);
guint rl_agent_status_get_code (RlAgentStatus *self);
gboolean rl_agent_status_set (RlAgentStatus *self, RlAgentState state, const char *reason,
                              GError **error);
const char *rl_agent_state_to_string (RlAgentState state);

G_END_DECLS
