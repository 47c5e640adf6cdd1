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

typedef struct _RlCtrlCodec RlCtrlCodec;

RlCtrlCodec *rl_ctrl_codec_new (gsize max_frame);
void rl_ctrl_codec_free (RlCtrlCodec *self);
void rl_ctrl_codec_push (RlCtrlCodec *self, const guint8 *data, gsize len);
gboolean rl_ctrl_codec_next (RlCtrlCodec *self, JsonObject **message, GError **error);
gsize rl_ctrl_codec_pending (RlCtrlCodec *self);

GBytes *rl_ctrl_codec_encode_request (const char *command, const char *params, const char *token);
char *rl_ctrl_codec_strip_ansi (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlCtrlCodec, rl_ctrl_codec_free)

G_END_DECLS
