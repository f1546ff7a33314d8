// Keystream and GHASH blocks of one walker step at 16-byte beats: the same
// function as `gcm_blocks` with W = 16 (WIN = 4, NB = 2), written for area
// and clock period (the ECPIX-5 board configuration, LEAN = 1).
//
// `gcm_blocks` indexes bytes by 7-bit lane numbers over 128-entry tables so
// that one text serves every beat width; synthesized for 16-byte beats that
// is 27k LUT4 per engine on the ECP5. Here the ranges a 16-byte step can
// have are used: a record's body bytes in a step are at most 16, so C0's
// keystream bytes lie in two blocks (the held one or window entry 0, then
// the next), C1's in one, and every byte move is one rotation of 16 or 32
// bytes:
// - keystream: lane l of C0 takes byte (q0 + l - lo0) mod 32 of the 32
//   bytes v0[0] ++ v0[1]; lane l of C1 byte (l - lo1) of v1[0];
// - GHASH: position p of C0's two blocks takes the ciphertext of lane
//   (p - q0 + lo0) mod 16 (positions p and p + 16 read the same rotation),
//   after the q0 bytes of the partial block `pb`; position p of C1's block
//   lane p + lo1.
// With a valid step (lo <= hi <= 16, C0 and C1 lanes apart) every output
// equals gcm_blocks'; gcm_datapath checks that in simulation
// (DpLeanBlocksSame).
//
// Unlike gcm_blocks it has a register: the XORed lanes (`out`, and the
// ciphertext the GHASH blocks are cut from) are registered, so that the
// keystream byte select and the GHASH byte rotation are in separate clocks.
// `out`, `blk*` and `pb_o` follow the inputs one clock late (the caller holds
// the inputs for two clocks and registers the outputs); every other output
// is combinational.
`default_nettype none

module gcm_blocks16 #(
    parameter bit RX = 1'b0
) (
    input  logic               clk,
    /* verilator lint_off UNUSEDSIGNAL */ // the tag lanes are the tag stage's
    input  tlsnic_pkg::step_t  sp,
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic [127:0]       data,        // lane i in [8i +: 8]
    input  logic [511:0]       ks_win,
    input  logic [127:0]       hold,
    input  logic               hold_ok,
    input  logic [127:0]       pb,

    output logic [127:0]       out,
    output logic [127:0]       ej0,
    output logic [255:0]       blk0,
    output logic [3:0]         n_blk0,
    output logic [255:0]       blk1,
    output logic [3:0]         n_blk1,
    output logic [127:0]       pb_o,
    output logic [127:0]       hold_o,
    output logic               hold_ok_o,
    output logic [3:0]         pops
);

    // byte i of a GCM-order block (byte 0 in [127:120])
    function automatic logic [7:0] byte_of(input logic [127:0] b, input logic [3:0] i);
        byte_of = b[127 - 8*i -: 8];
    endfunction

    function automatic logic [127:0] win_at(input logic [4:0] i);
        win_at = 128'd0;
        for (int k = 0; k < 4; k++) begin
            if (i == 5'(k)) begin
                win_at = ks_win[128*k +: 128];
            end
        end
    endfunction

    logic [6:0]   n0, n1;
    logic [3:0]   q0;
    logic [4:0]   lo0, lo1;
    logic [7:0]   fill0, fill1;
    logic [127:0] v00, v01, v10;            // C0's two blocks, C1's block
    assign n0    = sp.c0_hi - sp.c0_lo;
    assign n1    = sp.c1_hi - sp.c1_lo;
    assign q0    = sp.c0_boff[3:0];
    assign lo0   = sp.c0_lo[4:0];
    assign lo1   = sp.c1_lo[4:0];
    assign fill0 = 8'(q0) + 8'(n0);
    assign fill1 = 8'(n1);
    assign v00   = hold_ok ? hold : ks_win[127:0];
    assign v01   = hold_ok ? ks_win[127:0] : ks_win[255:128];
    assign v10   = win_at(5'(sp.c0_nks) + 5'(sp.c0_end));
    assign ej0   = win_at(5'(sp.c0_nks));

    // ------------------------------------------------------- keystream
    logic [4:0] sh0;                        // lane l of C0: keystream byte l + sh0 (mod 32)
    logic [3:0] sh1;                        // lane l of C1: byte l - lo1 (mod 16)
    logic [127:0] out_c, ct_c, ct_q;         // XORed lanes, ciphertext (ct_q: registered)
    logic [7:0]   ct [16];
    assign sh0 = 5'(q0) - lo0;
    assign sh1 = 4'(5'd0 - lo1);
    always_comb begin : xor_lanes
        logic [4:0] k0;
        logic [3:0] k1;
        logic [7:0] ks, ob;
        for (int l = 0; l < 16; l++) begin
            k0 = 5'(l) + sh0;
            k1 = 4'(l) + sh1;
            ks = 8'd0;
            if (5'(l) >= lo0 && 7'(l) < sp.c0_hi) begin
                ks = k0[4] ? byte_of(v01, k0[3:0]) : byte_of(v00, k0[3:0]);
            end
            if (5'(l) >= lo1 && 7'(l) < sp.c1_hi) begin
                ks = byte_of(v10, k1);
            end
            ob = data[8*l +: 8] ^ (sp.crypto ? ks : 8'd0);
            out_c[8*l +: 8] = ob;
            ct_c[8*l +: 8]  = RX ? data[8*l +: 8] : ob;
        end
    end

    always_ff @(posedge clk) begin : lanes_reg
        out  <= out_c;
        ct_q <= ct_c;
    end
    always_comb begin : ct_lanes
        for (int l = 0; l < 16; l++) begin
            ct[l] = ct_q[8*l +: 8];
        end
    end

    // ------------------------------------------------------------ GHASH
    logic [7:0] g0 [32];
    logic [7:0] g1 [16];
    always_comb begin : gblocks
        logic [3:0] r0, r1;
        for (int p = 0; p < 32; p++) begin
            r0 = 4'(p) + 4'(lo0) - q0;
            if (p < 16 && 4'(p) < q0) begin
                g0[p] = byte_of(pb, 4'(p));
            end else if (8'(p) < fill0) begin
                g0[p] = ct[r0];
            end else begin
                g0[p] = 8'd0;
            end
        end
        for (int p = 0; p < 16; p++) begin
            r1 = 4'(p) + 4'(lo1);
            g1[p] = (8'(p) < fill1) ? ct[r1] : 8'd0;
        end
        for (int i = 0; i < 16; i++) begin
            blk0[127 - 8*i -: 8]       = g0[i];
            blk0[128 + 127 - 8*i -: 8] = g0[16 + i];
            blk1[127 - 8*i -: 8]       = g1[i];
        end
        blk1[255:128] = 128'd0;
        n_blk0 = 4'(fill0 >> 4) + 4'(sp.c0_end && fill0[3:0] != 4'd0);
        n_blk1 = 4'(fill1 >> 4);
        pb_o   = 128'd0;
        if (sp.c1) begin
            if (fill1 < 8'd16) begin
                pb_o = blk1[127:0];
            end
        end else if (!sp.c0_end) begin
            pb_o = fill0[4] ? blk0[255:128] : blk0[127:0];
        end
    end

    // ---------------------------------------------------- held keystream
    always_comb begin : held
        logic       last0;              // the last body byte's block: 1 = the second
        last0     = fill0 > 8'd16;
        hold_o    = hold;
        hold_ok_o = 1'b0;
        if (sp.c1) begin
            hold_ok_o = n1 != 7'd0 && n1[3:0] != 4'd0;
            hold_o    = (n1 == 7'd0) ? 128'd0 : v10;
        end else if (n0 != 7'd0 && !sp.c0_end) begin
            hold_ok_o = fill0[3:0] != 4'd0;
            hold_o    = last0 ? v01 : v00;
        end else if (n0 == 7'd0 && !sp.c0_end) begin
            hold_ok_o = hold_ok;
        end
        pops = sp.c0_nks + 4'(sp.c0_end) + sp.c1_nks;
    end

endmodule

`default_nettype wire
