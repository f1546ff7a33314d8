// tlsnic_pkg: the types the record engines share between their stages.
//
// What crosses the hardware/software line (register addresses, opcodes,
// error and reason codes, counter indices, descriptor bits) is in
// tlsnic_regs_pkg, generated from rtl/regmap.rdl and rtl/regmap.toml; this package holds the
// engine's internal contracts: walker sections and RX sync modes, the
// per-context walker state kept in RAM, the walker's per-step plan that the
// crypto datapath executes, keystream requests, and the TLS record limits.
// docs/engine.md describes the stages and how these records flow between
// them.
`default_nettype none

package tlsnic_pkg;

    /* verilator lint_off UNUSEDPARAM */

    // Beats up to 64 bytes: lane indices and counts fit 7 bits.
    localparam int LANE_W = 7;

    // TLS record layout
    localparam int TLS_HDR_BYTES   = 5;
    localparam int TLS12_NONCE_LEN = 8;
    localparam int TAG_BYTES       = 16;
    // Body length (record length minus overhead) limits the walker accepts:
    // TLS 1.2 record length 24 .. 16384 + 256 + 64 (the kernel's limit plus
    // slack), TLS 1.3 17 .. 16384 + 256.
    localparam logic [15:0] TX_REC_LEN_MAX = 16'd16704;
    localparam logic [15:0] RX12_LEN_MIN = 16'd24;
    localparam logic [15:0] RX12_LEN_MAX = 16'd16408;
    localparam logic [15:0] RX13_LEN_MIN = 16'd17;
    localparam logic [15:0] RX13_LEN_MAX = 16'd16640;
    // RX: a stream scan starts this far past the point where sync was lost
    // (one maximum record: 5 + 16384 + 256).
    localparam logic [31:0] MAX_REC_SPAN = 32'd16645;

    /* verilator lint_on UNUSEDPARAM */

    // Record walker sections
    typedef enum logic [2:0] {
        S_HDR   = 3'd0,     // record header (5 bytes)
        S_NONCE = 3'd1,     // TLS 1.2 explicit nonce (8 bytes)
        S_BODY  = 3'd2,     // record body (encrypted/decrypted)
        S_TAG   = 3'd3,     // 16-byte tag
        S_SKIP  = 3'd4,     // RX: the rest of a record that is not decrypted
        S_SCAN  = 3'd5      // RX: searching the stream for a header candidate
    } sect_e;

    // RX sync modes
    typedef enum logic [1:0] {
        M_SYNC   = 2'd0,    // decrypting
        M_WAIT   = 2'd1,    // lost; waiting to be one record past the loss (or a push)
        M_SEARCH = 2'd2,    // scanning for a header candidate
        M_TRACK  = 2'd3     // following length fields from a candidate
    } mode_e;

    // Walker state of one context, both directions (walker RAM).
    typedef struct packed {
        logic [31:0] seq;       // TCP sequence number of the next byte expected
        logic [63:0] rec;       // record number of the record in progress
        sect_e       sect;
        logic [3:0]  soff;      // bytes of the header / nonce / tag already seen
        logic [15:0] blen;      // body length of the record in progress
        logic [15:0] boff;      // body bytes already seen
        logic [39:0] hdr;       // header bytes, byte 0 in [39:32]
        logic [63:0] nonce;     // TLS 1.2 explicit nonce, byte 0 in [63:56]
        logic        stale;     // the record's GHASH state was lost (a carried frame failed)
    } wst_t;

    // RX sync state of one context (RX walker RAM).
    typedef struct packed {
        mode_e       mode;
        logic [31:0] nh;        // TCP sequence number of the next record header (when known)
        logic [15:0] skip;      // S_SKIP: bytes left of the record
        logic [31:0] hist;      // S_SCAN: the last 4 stream bytes, oldest in [31:24]
        logic [2:0]  hcnt;      // S_SCAN: how many of them are valid
        logic [3:0]  conf;      // TRACK: headers confirmed after the candidate
        logic        req;       // TRACK: resync request raised, answer pending
        logic [31:0] guess;     // TRACK: TCP sequence number of the guessed header
    } rxst_t;

    // Per-frame record of the ingress parser (the first beats of a frame).
    typedef struct packed {
        logic         tcp;          // TCP over IPv4/IPv6, parsed cleanly (the end record adds the length check)
        logic         tcp_nocsum;   // the same, whatever the IPv4 header checksum says
        logic         ip_csum_ok;   // IPv4 header checksum verifies (1 for IPv6)
        logic         v6;
        logic [7:0]   l3_off;
        logic [7:0]   l4_off;
        logic [7:0]   pay_off;      // first TCP payload byte
        logic [15:0]  pay_len;      // TCP payload bytes per the IP length fields
        logic [31:0]  seq;
        logic [127:0] saddr;        // RX flow key: IPv4 in [127:96], zeros below
        logic [127:0] daddr;
        logic [31:0]  ports;        // source port [31:16], destination port [15:0]
        logic [63:0]  tuser;        // TX descriptor (tuser of the first beat)
        logic [103:0] dump;         // TX: the first 13 frame bytes (a DUMP header)
    } imeta_t;

    // Per-frame end record of the ingress (after its last beat).
    typedef struct packed {
        logic         len_err;      // shorter than its IP length
        logic         csum_ok;      // RX: the TCP checksum verifies
    } iend_t;

    // Static part of a context (key RAM control word).
    typedef struct packed {
        logic valid;
        logic v13;              // TLS 1.3
        logic k256;             // AES-256
        logic sd;               // RX: stack-driven resync mode
    } kctl_t;

    // One walker step: the part of a beat that touches at most two records,
    // C0 (the record in progress when the step starts) and C1 (a record
    // whose header starts in the step and whose body does not end in it).
    // Lanes are beat byte positions; lo == hi means none.
    typedef struct packed {
        logic              last;        // the frame's last step (its last beat, done)
        logic              bdone;       // the step finishes its beat
        logic              crypto;      // the frame is walked (not passed / dropped before walking)
        // C0
        logic              c0_aad;      // C0's AAD is complete in this step (an entry in the AAD queue)
        logic [LANE_W-1:0] c0_lo;
        logic [LANE_W-1:0] c0_hi;
        logic [15:0]       c0_boff;     // body offset of lane c0_lo
        logic [15:0]       c0_blen;     // body length of C0
        logic              c0_end;      // C0's body ends at c0_hi
        logic [3:0]        c0_nks;      // keystream blocks requested for C0 in this step
        logic [LANE_W-1:0] t_lo;        // C0 tag lanes
        logic [LANE_W-1:0] t_hi;
        logic [3:0]        t_off;       // tag byte at lane t_lo
        // C1
        logic              c1;          // C1 starts: its AAD is complete (an entry in the AAD queue)
        logic [LANE_W-1:0] c1_lo;
        logic [LANE_W-1:0] c1_hi;
        logic [15:0]       c1_blen;
        logic [3:0]        c1_nks;
    } step_t;

    // Keystream request from the walker to the keystream generator: `n`
    // blocks with counters ctr, ctr+1, ... under `iv`. `nk`: the first
    // request of a frame; the generator
    // takes the frame's key from its key queue. `cont`: continues the
    // previous request's blocks (same record, consecutive counters). E(J0)
    // is a request for counter 1, n = 1.
    typedef struct packed {
        logic        nk;
        logic        cont;
        logic [95:0] iv;
        logic [31:0] ctr;
        logic [5:0]  n;
    } ksreq_t;

    // Per-frame descriptor from the walker to the crypto datapath and the
    // tag stage (pushed when the walker starts the frame).
    typedef struct packed {
        logic        crypto;    // the frame's payload is walked
        logic [15:0] ctx;
        logic        v13;       // TLS 1.3 (AAD of 5 bytes, else 13)
        logic        resume;    // starts inside a record body: GHASH state from the context
        logic        carry;     // resume from the previous frame's GHASH slot (same context, back to back)
        logic        in_tag;    // starts inside a tag: the tag from the context
        logic        retx;      // TX retransmission (TXD_OP_RETX): the first record's GHASH state is
                                // not known (a fresh zero slot); nothing is saved or committed
        logic        rtag;      // ...and its descriptor's tag replaces that record's tag (tag stage)
        // TCP checksum coverage (TX egress: tcp_csum's l4_loc_t)
        logic        v6;
        logic [7:0]  l3_off;
        logic [7:0]  l4_off;
        logic [15:0] l4_len;
    } fdesc_t;

    // RX admission: the sequence number compares and differences of a frame
    // against its context's state (rx_admit's first half; the walker's
    // board form registers them in the clock before the decision).
    typedef struct packed {
        logic        old;       // the frame starts before the expected number e
        logic        reach;     // ...and reaches past it
        logic        gap;       // the frame does not start at e
        logic        nh_before; // the next header is before the frame's start
        logic        at_nh;     // the frame starts at the next header
        logic        beyond;    // more than one maximum record past e
        logic        nopay;     // no TCP payload
        logic [15:0] lo_part;   // the payload offset of e in the frame
        logic [15:0] pay_hi;    // the end of the payload
        logic [15:0] skip_gap;  // bytes from the frame's start to the next header
        logic [15:0] skip_stale;// bytes from the frame's first new byte to the next header
        logic [31:0] end_seq;   // the sequence number after the frame
    } rx_pre_t;

    // TX admission: tx_admit's compares of a frame against its context's
    // state and the retransmit descriptor (its first half, as rx_pre_t).
    typedef struct packed {
        logic        at_seq;    // the frame starts at the expected sequence number
        logic        dump_at;   // DUMP: its sequence number is the expected one
        logic        at_desc;   // RETX: the frame starts at the descriptor's number
        logic        past_tag;  // RETX: its payload reaches past the record's tag start
        logic        nopay;     // no TCP payload
        logic [15:0] pay_hi;    // the end of the payload
    } tx_pre_t;

    // Frame actions decided when the walker starts a frame.
    typedef enum logic [1:0] {
        A_PASS = 2'd0,          // leaves unchanged, not walked
        A_DROP = 2'd1,          // TX: dropped at the egress, not walked
        A_WALK = 2'd2,          // walked (crypto, or RX scan/track)
        A_DESC = 2'd3           // TX: a retransmit descriptor, taken by the walker, not transmitted
    } act_e;

    // A frame's admission (walk_admit: tx_admit | rx_admit; a field one
    // direction does not decide is fixed there).
    typedef struct packed {
        act_e        act;
        logic        dump;      // TX: a DUMP frame
        logic        retx;      // TX: a RETX frame walked from its descriptor
        logic        upd;       // write the context back at the frame end
        logic        insync;    // RX: walked in sync (decrypting)
        logic        part;      // RX: some TLS bytes of the frame are skipped
        logic        rst;       // RX: a scan restart
        logic [2:0]  why;       // TX drop reason
        logic [3:0]  reason;    // RX_REASON_* before the walk
        wst_t        st;        // the state the walk starts from
        rxst_t       rxs;
        logic [15:0] lo, hi;    // payload bytes [lo, hi) of the frame
        logic [31:0] wb_seq;    // the expected sequence number written back
    } wadm_t;

    // What the walker starts a frame with (walk_admit).
    typedef struct packed {
        wadm_t       adm;
        logic        crypto;    // walked with crypto
        logic        resume;    // starts in a record body (GHASH state resumed)
        logic        carry;     // resumes the record the frame before left open in the datapath
        logic [6:0]  plo, phi;  // the first beat's payload lanes
    } wfst_t;

    // Result of a frame, decided at the walker's frame end; travels with the
    // frame's last step to the egress.
    typedef struct packed {
        act_e        act;
        logic        fail;      // walked but failed: TX drops it, nothing is committed
        logic        dump;      // TX: a DUMP frame (never transmitted)
        logic        retx;      // TX: a retransmitted segment (TXD_OP_RETX)
        logic [2:0]  why;       // TX drop reason: 1 parse, 2 context, 3 sequence, 4 record, 5 retransmit
        logic [15:0] bytes;     // payload bytes (TX encrypted / DUMP record bytes, RX decrypted)
        logic [15:0] ctx;
        logic [15:0] cov;       // payload bytes the walker covered with crypto steps
        logic [15:0] tagb;      // tag bytes among them
        // RX
        logic        hit;       // flow table hit
        logic        wb;        // the context was written back
        logic [3:0]  reason;    // tlsnic_regs_pkg::RX_REASON_*; DEC = decrypted unless a tag fails
        logic        rreq;      // a resync request was raised
        logic [31:0] guess;
        logic [3:0]  nrst;      // scan restarts
    } fres_t;

    // A TLS record header is plausible: type 0x14..0x18, version 03 03,
    // length within the limits of the version.
    function automatic logic hdr_plausible(input logic [39:0] h, input logic v13);
        logic [15:0] len;
        len = h[15:0];
        hdr_plausible = h[39:32] >= 8'h14 && h[39:32] <= 8'h18 && h[31:16] == 16'h0303
                     && (v13 ? (len >= RX13_LEN_MIN && len <= RX13_LEN_MAX)
                             : (len >= RX12_LEN_MIN && len <= RX12_LEN_MAX));
    endfunction

    // The state a new context starts from: at a record header at TCP
    // sequence `seq`, record number `rec`; on RX in sync, the next header
    // expected at `seq`.
    // (Written for Yosys 0.70, which rejects the plainer forms Verilator
    // takes: member writes to the function's own struct-typed return value,
    // `return`, and package constants not named with the package when the
    // function is called from a module. Keep the local variable and the
    // `tlsnic_pkg::` names.)
    function automatic wst_t fresh_st(input logic [31:0] seq, input logic [63:0] rec);
        wst_t s;
        s      = '0;
        s.seq  = seq;
        s.rec  = rec;
        s.sect = tlsnic_pkg::S_HDR;
        fresh_st = s;
    endfunction

    function automatic rxst_t fresh_rxs(input logic [31:0] seq);
        rxst_t r;
        r      = '0;
        r.mode = tlsnic_pkg::M_SYNC;
        r.nh   = seq;
        fresh_rxs = r;
    endfunction

    // a before b in TCP sequence space (mod 2^32).
    function automatic logic seq_lt(input logic [31:0] a, input logic [31:0] b);
        seq_lt = $signed(a - b) < 32'sd0;
    endfunction

endpackage

`default_nettype wire
