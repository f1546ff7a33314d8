// AES forward S-box as a ROM with a synchronous read and a register after
// it: out_byte = S(in_byte) two clocks later (the read, then the
// register), loaded on every clock. The table is `AES_SBOX_CASES` of
// aes_sbox.sv (read before this file), the one written form of it.
//
// The rom_style attribute makes Yosys map the table to one block RAM (a
// DP16KD on the ECP5) instead of about 210 LUT4s of logic; the register
// after the RAM keeps the RAM's clock-to-output time out of the logic
// behind it. `aes_sub_bytes` uses it with SBOX_RAM = 1.
`default_nettype none

module aes_sbox_ram (
    input  logic       clk,
    input  logic [7:0] in_byte,
    output logic [7:0] out_byte
);
    logic [7:0] rom_byte;       // the table, read combinationally ...
    logic [7:0] rom_reg;        // ... and registered: the RAM's read register

    always_comb begin
        (* rom_style = "block" *)
        unique case (in_byte)
            `AES_SBOX_CASES(rom_byte)
        endcase
    end

    always_ff @(posedge clk) begin
        rom_reg  <= rom_byte;
        out_byte <= rom_reg;
    end

endmodule

`default_nettype wire
