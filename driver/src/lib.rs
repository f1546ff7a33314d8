//! Host side of tlsnic.
