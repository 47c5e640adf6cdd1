/* rl-core.h: the core objects one Ringline process owns, whatever its face
 * (window or headless).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-agent-status.h"
#include "rl-audio-devices.h"
#include "rl-contact-store.h"
#include "rl-history.h"
#include "rl-branding.h"
#include "rl-caller-ids.h"
#include "rl-park-slots.h"
#include "rl-phone.h"
#include "rl-recorder.h"
#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_CORE (rl_core_get_type ())
G_DECLARE_FINAL_TYPE (RlCore, rl_core, RL, CORE, GObject)

RlCore *rl_core_new (void);
void rl_core_hold_background (RlCore *self);
void rl_core_release_background (RlCore *self);
void rl_core_startup (RlCore *self);
void rl_core_shutdown (RlCore *self);
RlPhone *rl_core_get_phone (RlCore *self);
RlAudioDevices *rl_core_get_audio_devices (RlCore *self);
RlContactStore *rl_core_get_contacts (RlCore *self);
RlSession *rl_core_get_session (RlCore *self);
RlHistory *rl_core_get_history (RlCore *self);
RlAgentStatus *rl_core_get_agent_status (RlCore *self);
RlRecorder *rl_core_get_recorder (RlCore *self);
RlParkSlots *rl_core_get_park_slots (RlCore *self);
RlCallerIds *rl_core_get_caller_ids (RlCore *self);
RlBranding *rl_core_get_branding (RlCore *self);
GSettings *rl_core_get_settings (RlCore *self);

G_END_DECLS
