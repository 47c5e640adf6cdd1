/* rl-ctrl-codec.h: framing of baresip's ctrl_tcp protocol (netstrings
 * carrying JSON objects).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Anything larger is a broken or hostile peer; baresip's biggest replies
 * (callstat, help) stay well under 64 KiB. */
#define RL_CTRL_MAX_FRAME (1024 * 1024)

typedef struct _RlCtrlDecoder RlCtrlDecoder;

RlCtrlDecoder *rl_ctrl_decoder_new (gsize max_frame);
void rl_ctrl_decoder_free (RlCtrlDecoder *self);
void rl_ctrl_decoder_push (RlCtrlDecoder *self, const guint8 *data, gsize len);
gboolean rl_ctrl_decoder_next (RlCtrlDecoder *self, JsonObject **message, GError **error);
gsize rl_ctrl_decoder_pending (RlCtrlDecoder *self);

GBytes *rl_ctrl_encode_request (const char *command, const char *params, const char *token);
char *rl_ctrl_strip_ansi (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlCtrlDecoder, rl_ctrl_decoder_free)

G_END_DECLS
