/* rl-test-rtp-peer.h: the far end's media, played by the test itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _RlTestRtpPeer RlTestRtpPeer;

RlTestRtpPeer *rl_test_rtp_peer_new (void);
void rl_test_rtp_peer_free (RlTestRtpPeer *peer);
guint16 rl_test_rtp_peer_get_port (RlTestRtpPeer *peer);
void rl_test_rtp_peer_set_drop_every (RlTestRtpPeer *peer, guint n);
void rl_test_rtp_peer_reset (RlTestRtpPeer *peer);
guint rl_test_rtp_peer_get_received (RlTestRtpPeer *peer);
double rl_test_rtp_peer_get_loud_share (RlTestRtpPeer *peer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlTestRtpPeer, rl_test_rtp_peer_free)

G_END_DECLS
