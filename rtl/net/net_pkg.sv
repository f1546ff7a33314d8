// net_pkg: shared types of the frame header parser (net_hdr_parse) and the
// TCP checksum unit (tcp_csum). docs/net.md gives the cycle in which every
// field is valid.
`default_nettype none

package net_pkg;

    // Package constants are elaborated with every top, also those without
    // the net units (gcm_stream_top), which leave them unused.
    /* verilator lint_off UNUSEDPARAM */

    // Byte offsets inside the header region (at most 138: 18-byte VLAN
    // Ethernet header + 60-byte IPv4 header + 60-byte TCP header).
    localparam int OFF_W = 8;

    localparam logic [15:0] ETH_TPID_VLAN = 16'h8100;
    localparam logic [15:0] ETH_TYPE_IPV4 = 16'h0800;
    localparam logic [15:0] ETH_TYPE_IPV6 = 16'h86dd;
    localparam logic [7:0]  IP_PROTO_TCP  = 8'd6;

    // tcp_csum: csum_valid comes this many cycles after the tlast beat
    localparam int TCP_CSUM_LAT = 7;

    /* verilator lint_on UNUSEDPARAM */

    // Per-frame header record, pulsed on `meta_valid` once per frame: in the
    // cycle the beat holding the last TCP header byte is accepted, or in the
    // tlast cycle for frames that are not TCP or end earlier. Fields that the
    // frame does not carry read as zero.
    typedef struct packed {
        logic             is_tcp;      // parsed cleanly as TCP over IPv4/IPv6 (see eof.tcp_ok)
        logic             parse_err;   // claims IPv4/IPv6 but malformed, truncated, fragment, bad IPv4 csum
        logic             vlan;        // one 802.1Q tag (TPID 0x8100)
        logic             ipv4;        // EtherType 0x0800
        logic             ipv6;        // EtherType 0x86dd
        logic             ip_csum_ok;  // IPv4 header complete and its checksum verifies
        logic [7:0]       ip_proto;    // IPv4 protocol / IPv6 next header
        logic [OFF_W-1:0] l3_off;      // 14, or 18 with a VLAN tag
        logic [OFF_W-1:0] l4_off;      // IP header end (IPv4 with IHL >= 5, IPv6)
        logic [OFF_W-1:0] payload_off; // TCP header end = first payload byte
        logic [15:0]      payload_len; // TCP payload bytes from the IP length fields
        logic [127:0]     src_ip;      // IPv4 in [31:0]
        logic [127:0]     dst_ip;      // IPv4 in [31:0]
        logic [15:0]      src_port;
        logic [15:0]      dst_port;
        logic [31:0]      tcp_seq;
        logic [7:0]       tcp_flags;   // CWR ECE URG ACK PSH RST SYN FIN
    } hdr_meta_t;

    // Frame-end record, pulsed on `eof_valid` in the tlast cycle of every
    // frame. The length check needs the frame length, so an early
    // `meta.is_tcp` is only final together with `eof.tcp_ok`.
    typedef struct packed {
        logic        tcp_ok;     // meta.is_tcp and the frame holds the whole IP packet
        logic        len_err;    // IPv4/IPv6 frame shorter than its IP length fields say
        logic [15:0] frame_len;  // bytes in the frame
    } frame_end_t;

    // Where the checksummed bytes of a TCP segment lie, pulsed on `loc_valid`
    // by the parser no later than the beat holding the first address byte:
    // addresses at [addr_off, addr_off + (ipv6 ? 32 : 8)), segment at
    // [l4_off, l4_off + l4_len). addr_off and l4_off have the same parity.
    typedef struct packed {
        logic        ipv6;
        logic [15:0] addr_off;
        logic [15:0] l4_off;
        logic [15:0] l4_len;     // TCP length of the pseudo-header
    } l4_loc_t;

endpackage
