// Keystream and GHASH blocks of one walker step (combinational).
//
// For the step's body lanes of C0 (body offset `boff0` at lane lo0) and C1
// (offset 0 at lo1), with the keystream queue window (C0's new blocks, C0's
// E(J0) when its body ends, C1's blocks) and the block C0 already started
// (`hold`, when `hold_ok`):
// - `out`: the beat with every body lane XORed with its keystream byte;
// - the ciphertext bytes (TX: the output, RX: the input) appended to the
//   partial GHASH block `pb` (boff0 mod 16 bytes) and cut into 16-byte
//   GHASH blocks: C0's complete blocks, at C0's body end its padded last
//   block; C1's complete blocks; the partial rest goes to `pb_o`;
// - the block C0 or C1 leaves half used (`hold_o`).
// GHASH blocks are in GCM order (byte 0 in [127:120]).
`default_nettype none

module gcm_blocks #(
    parameter int W   = 16,
    parameter bit RX  = 1'b0,
    parameter int WIN = 4,                  // keystream window entries
    parameter int NB  = W / 16 + 1          // complete blocks per record per step, at most
) (
    /* verilator lint_off UNUSEDSIGNAL */ // the tag lanes are the tag stage's
    input  tlsnic_pkg::step_t  sp,
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic [W*8-1:0]     data,        // lane i in [8i +: 8]
    input  logic [WIN*128-1:0] ks_win,
    input  logic [127:0]       hold,
    input  logic               hold_ok,
    input  logic [127:0]       pb,

    output logic [W*8-1:0]     out,
    output logic [127:0]       ej0,         // C0's E(J0) (when sp.c0_end)
    output logic [NB*128-1:0]  blk0,        // C0's complete blocks, then its padded last block
    output logic [3:0]         n_blk0,      // how many (padded block included)
    output logic [NB*128-1:0]  blk1,        // C1's complete blocks
    output logic [3:0]         n_blk1,
    output logic [127:0]       pb_o,
    output logic [127:0]       hold_o,
    output logic               hold_ok_o,
    output logic [3:0]         pops         // keystream entries used
);

    localparam int NV = 8;                  // keystream blocks one record can touch in a step (<= W/16 + 2)
    localparam int GN = NB*16 + 16;         // GHASH assembly bytes
    localparam int GI_W = $clog2(GN);

    logic [7:0] in_b  [W];
    logic [7:0] ks_b  [W];
    logic [7:0] out_b [W];
    logic [7:0] ct_b  [128];                // ciphertext by lane, zero beyond the beat
    always_comb begin : lanes
        for (int i = 0; i < W; i++) begin
            in_b[i] = data[8*i +: 8];
        end
    end

    // ------------------------------------------------------- keystream
    logic [6:0]  n0, n1;
    logic [3:0]  q0;
    logic [127:0] v0 [NV];                  // C0's blocks in order: held, then new
    logic [127:0] v1 [NV];
    logic [3:0]  off1;                      // C1's first entry in the window
    assign n0   = sp.c0_hi - sp.c0_lo;
    assign n1   = sp.c1_hi - sp.c1_lo;
    assign q0   = sp.c0_boff[3:0];
    assign off1 = sp.c0_nks + 4'(sp.c0_end);

    function automatic logic [127:0] win_at(input logic [4:0] i);
        win_at = 128'd0;
        for (int k = 0; k < WIN; k++) begin
            if (i == 5'(k)) begin
                win_at = ks_win[128*k +: 128];
            end
        end
    endfunction

    always_comb begin : ks_blocks
        for (int j = 0; j < NV; j++) begin
            if (hold_ok) begin
                v0[j] = (j == 0) ? hold : win_at(5'(j - 1));
            end else begin
                v0[j] = win_at(5'(j));
            end
            v1[j] = win_at(5'(off1) + 5'(j));
        end
        ej0 = win_at(5'(sp.c0_nks));
    end

    always_comb begin : xor_lanes
        logic [6:0] k;                      // keystream byte: block k[6:4], byte k[3:0]
        for (int l = 0; l < W; l++) begin
            ks_b[l] = 8'd0;
            k = 7'd0;
            if (7'(l) >= sp.c0_lo && 7'(l) < sp.c0_hi) begin
                k = 7'(q0) + 7'(l) - sp.c0_lo;
                ks_b[l] = v0[k[6:4]][127 - 8*k[3:0] -: 8];
            end
            if (7'(l) >= sp.c1_lo && 7'(l) < sp.c1_hi) begin
                k = 7'(l) - sp.c1_lo;
                ks_b[l] = v1[k[6:4]][127 - 8*k[3:0] -: 8];
            end
            out_b[l] = in_b[l] ^ (sp.crypto ? ks_b[l] : 8'd0);
            out[8*l +: 8] = out_b[l];
        end
        for (int l = 0; l < 128; l++) begin
            ct_b[l] = (l < W) ? (RX ? in_b[l % W] : out_b[l % W]) : 8'd0;
        end
    end

    // ------------------------------------------------------------ GHASH
    // C0: pb[0..q0) then the body lanes; C1: its body lanes from lane lo1.
    logic [7:0] g0 [GN];
    logic [7:0] g1 [GN];
    logic [7:0] fill0, fill1;
    always_comb begin : gblocks
        fill0 = 8'(q0) + 8'(n0);
        fill1 = 8'(n1);
        for (int p = 0; p < GN; p++) begin
            if (p < 16 && 4'(p) < q0) begin
                g0[p] = pb[127 - 8*(p % 16) -: 8];
            end else if (8'(p) < fill0) begin
                g0[p] = ct_b[7'(sp.c0_lo + 7'(p) - 7'(q0))];
            end else begin
                g0[p] = 8'd0;
            end
        end
        for (int p = 0; p < GN; p++) begin
            g1[p] = (8'(p) < fill1) ? ct_b[7'(sp.c1_lo + 7'(p))] : 8'd0;
        end
        for (int k = 0; k < NB; k++) begin
            for (int i = 0; i < 16; i++) begin
                blk0[128*k + 127 - 8*i -: 8] = g0[16*k + i];
                blk1[128*k + 127 - 8*i -: 8] = g1[16*k + i];
            end
        end
        // complete blocks, and C0's padded last block at its body end
        n_blk0 = 4'(fill0 >> 4) + 4'(sp.c0_end && fill0[3:0] != 4'd0);
        n_blk1 = 4'(fill1 >> 4);
        pb_o   = 128'd0;
        if (sp.c1) begin
            for (int i = 0; i < 16; i++) begin
                pb_o[127 - 8*i -: 8] = g1[GI_W'({fill1[7:4], 4'd0} + 8'(i))];
            end
        end else if (!sp.c0_end) begin
            for (int i = 0; i < 16; i++) begin
                pb_o[127 - 8*i -: 8] = g0[GI_W'({fill0[7:4], 4'd0} + 8'(i))];
            end
        end
    end

    // the rest of the GHASH block in pb_o is zero: it is the padding
    // ---------------------------------------------------- held keystream
    always_comb begin : held
        logic [2:0] last0, last1;           // the last body byte's keystream block
        last0     = 3'((10'(q0) + 10'(n0) - 10'd1) >> 4);
        last1     = 3'((10'(n1) - 10'd1) >> 4);
        hold_o    = hold;
        hold_ok_o = 1'b0;
        if (sp.c1) begin
            hold_ok_o = n1 != 7'd0 && n1[3:0] != 4'd0;
            hold_o    = v1[last1];
        end else if (n0 != 7'd0 && !sp.c0_end) begin
            hold_ok_o = fill0[3:0] != 4'd0;
            hold_o    = v0[last0];
        end else if (n0 == 7'd0 && !sp.c0_end) begin
            hold_ok_o = hold_ok;
        end
        pops = sp.c0_nks + 4'(sp.c0_end) + sp.c1_nks;
    end

endmodule

`default_nettype wire
