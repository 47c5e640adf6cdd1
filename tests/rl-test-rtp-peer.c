/* rl-test-rtp-peer.c
 *
 * A minimal RTP/RTCP endpoint on 127.0.0.1 (RTP on a port, RTCP on the
 * next). A sipp scenario answers the call with an SDP naming this port, so
 * Ringline's media comes here. It sends back G.711 µ-law at 50 packets a
 * second, skipping one sequence number in every N to make loss, and an RTCP
 * sender report every second (baresip refreshes its figures on each one). It
 * looks at what it gets: how many packets, and how much of their audio is
 * not silence.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-test-rtp-peer.h"

#include <string.h>

#define SSRC 0x52494e47u
#define PAYLOAD 160 /* 20 ms of 8 kHz µ-law */
#define ULAW_ZERO_POS 0xff
#define ULAW_ZERO_NEG 0x7f

struct _RlTestRtpPeer
{
  GSocket *rtp;
  GSocket *rtcp;
  GSource *rtp_source;
  guint send_id;
  guint report_id;
  GSocketAddress *remote_rtp;
  guint16 seq;
  guint32 timestamp;
  guint32 sent;
  guint drop_every;
  guint received;
  guint32 remote_ssrc; /* Ringline's stream, for the report block */
  guint16 remote_max_seq;
  guint64 payload_bytes;
  guint64 loud_bytes;
};

static GSocket *
bind_udp (guint16 port)
{
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (lo, port);
  g_autoptr (GSocket) sock
    = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);

  if (sock == NULL || !g_socket_bind (sock, address, FALSE, NULL))
    return NULL;
  g_socket_set_blocking (sock, FALSE);
  return g_steal_pointer (&sock);
}

static guint16
local_port (GSocket *sock)
{
  g_autoptr (GSocketAddress) address = g_socket_get_local_address (sock, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

static gboolean
on_rtp (GSocket *sock, GIOCondition condition, gpointer user_data)
{
  RlTestRtpPeer *peer = user_data;
  guint8 buf[2048];
  gssize n;
  GSocketAddress *from = NULL;

  while ((n = g_socket_receive_from (sock, &from, (char *) buf, sizeof buf, NULL, NULL)) > 12)
    {
      guint8 pt = buf[1] & 0x7f;

      if (peer->remote_rtp == NULL)
        peer->remote_rtp = g_object_ref (from);
      g_clear_object (&from);
      if (pt != 0)
        continue; /* telephone events and the like */
      peer->received++;
      peer->remote_ssrc = (guint32) buf[8] << 24 | buf[9] << 16 | buf[10] << 8 | buf[11];
      peer->remote_max_seq = (guint16) (buf[2] << 8 | buf[3]);
      for (gssize i = 12; i < n; i++)
        {
          peer->payload_bytes++;
          /* A tone crosses zero, but most of its samples are far from it. */
          if ((buf[i] & 0x7f) < 0x70)
            peer->loud_bytes++;
        }
    }
  g_clear_object (&from);
  return G_SOURCE_CONTINUE;
}

static void
put32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

static gboolean
send_packet (gpointer user_data)
{
  RlTestRtpPeer *peer = user_data;
  guint8 packet[12 + PAYLOAD];

  if (peer->remote_rtp == NULL)
    return G_SOURCE_CONTINUE;
  peer->seq++;
  peer->timestamp += PAYLOAD;
  if (peer->drop_every && peer->seq % peer->drop_every == 0)
    return G_SOURCE_CONTINUE; /* lost on the way */
  packet[0] = 0x80;
  packet[1] = 0; /* PCMU */
  packet[2] = peer->seq >> 8;
  packet[3] = peer->seq;
  put32 (packet + 4, peer->timestamp);
  put32 (packet + 8, SSRC);
  for (guint i = 0; i < PAYLOAD; i++)
    packet[12 + i] = i % 2 ? 0x20 : 0xa0; /* loud enough, never silence */
  g_socket_send_to (peer->rtp, peer->remote_rtp, (char *) packet, sizeof packet, NULL, NULL);
  peer->sent++;
  return G_SOURCE_CONTINUE;
}

/* A sender report, with a report block on Ringline's stream once it has
 * heard it (nothing lost): baresip 1.0 refreshes its statistics on any
 * report, a modern one only on a report block about its own stream. */
static gboolean
send_report (gpointer user_data)
{
  RlTestRtpPeer *peer = user_data;
  guint8 sr[52] = { 0x80, 200, 0, 6 };
  gsize length = 28;
  gint64 now = g_get_real_time ();
  g_autoptr (GSocketAddress) to = NULL;
  GInetSocketAddress *rtp;

  if (peer->remote_rtp == NULL)
    return G_SOURCE_CONTINUE;
  rtp = G_INET_SOCKET_ADDRESS (peer->remote_rtp);
  to = g_inet_socket_address_new (g_inet_socket_address_get_address (rtp),
                                  g_inet_socket_address_get_port (rtp) + 1);
  put32 (sr + 4, SSRC);
  put32 (sr + 8, (guint32) (now / G_USEC_PER_SEC + 2208988800u));
  put32 (sr + 12, (guint32) ((now % G_USEC_PER_SEC) * 4294.967296));
  put32 (sr + 16, peer->timestamp);
  put32 (sr + 20, peer->sent);
  put32 (sr + 24, peer->sent * PAYLOAD);
  if (peer->received)
    {
      sr[0] = 0x81;
      sr[3] = 12;
      put32 (sr + 28, peer->remote_ssrc);
      put32 (sr + 32, 0); /* fraction and cumulative lost */
      put32 (sr + 36, peer->remote_max_seq);
      length = sizeof sr; /* jitter, LSR and DLSR stay 0 */
    }
  g_socket_send_to (peer->rtcp, to, (char *) sr, length, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

RlTestRtpPeer *
rl_test_rtp_peer_new (void)
{
  RlTestRtpPeer *peer = g_new0 (RlTestRtpPeer, 1);

  for (guint attempt = 0; attempt < 50 && peer->rtcp == NULL; attempt++)
    {
      g_clear_object (&peer->rtp);
      peer->rtp = bind_udp (0);
      g_assert_nonnull (peer->rtp);
      if (local_port (peer->rtp) < G_MAXUINT16)
        peer->rtcp = bind_udp (local_port (peer->rtp) + 1);
    }
  g_assert_nonnull (peer->rtcp);
  peer->rtp_source = g_socket_create_source (peer->rtp, G_IO_IN, NULL);
  g_source_set_callback (peer->rtp_source, G_SOURCE_FUNC (on_rtp), peer, NULL);
  g_source_attach (peer->rtp_source, NULL);
  peer->send_id = g_timeout_add (20, send_packet, peer);
  peer->report_id = g_timeout_add (1000, send_report, peer);
  return peer;
}

void
rl_test_rtp_peer_free (RlTestRtpPeer *peer)
{
  g_source_destroy (peer->rtp_source);
  g_source_unref (peer->rtp_source);
  g_source_remove (peer->send_id);
  g_source_remove (peer->report_id);
  g_clear_object (&peer->remote_rtp);
  g_object_unref (peer->rtp);
  g_object_unref (peer->rtcp);
  g_free (peer);
}

guint16
rl_test_rtp_peer_get_port (RlTestRtpPeer *peer)
{
  return local_port (peer->rtp);
}

/* Leaves out one packet in every @n sent (0: none). */
void
rl_test_rtp_peer_set_drop_every (RlTestRtpPeer *peer, guint n)
{
  peer->drop_every = n;
}

/* Forgets what was received so far. */
void
rl_test_rtp_peer_reset (RlTestRtpPeer *peer)
{
  peer->received = 0;
  peer->payload_bytes = 0;
  peer->loud_bytes = 0;
}

guint
rl_test_rtp_peer_get_received (RlTestRtpPeer *peer)
{
  return peer->received;
}

/* The share (0 to 1) of received audio samples that are not silence. */
double
rl_test_rtp_peer_get_loud_share (RlTestRtpPeer *peer)
{
  return peer->payload_bytes ? (double) peer->loud_bytes / peer->payload_bytes : 0;
}
