// AES SubBytes of N bytes: N S-boxes, in logic (`aes_sbox`, combinational)
// or in block RAM (`aes_sbox_ram`, SBOX_RAM = 1: out is S(in) two clocks
// later). Byte n in [8N-1-8n -: 8] (byte 0 at the top), in and out alike.
// `aes_round` (16 bytes) and `aes_key_step` (SubWord, 4 bytes) use it.
`default_nettype none

module aes_sub_bytes #(
    parameter int N        = 16,      // bytes
    parameter int SBOX_RAM = 0        // S-boxes in block RAM: two clocks
) (
    /* verilator lint_off UNUSEDSIGNAL */ // the clock of the S-box RAMs (SBOX_RAM only)
    input  logic           clk,
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic [8*N-1:0] in,
    output logic [8*N-1:0] out
);
    /* verilator inline_module */  // as aes_sbox: the table lookups land in the caller

    for (genvar n = 0; n < N; n++) begin : g_sbox
        if (SBOX_RAM != 0) begin : g_ram
            aes_sbox_ram u_sbox (.clk(clk), .in_byte(in[8*N-1-8*n -: 8]), .out_byte(out[8*N-1-8*n -: 8]));
        end else begin : g_logic
            aes_sbox u_sbox (.in_byte(in[8*N-1-8*n -: 8]), .out_byte(out[8*N-1-8*n -: 8]));
        end
    end

endmodule

`default_nettype wire
