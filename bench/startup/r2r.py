"""Lists which assemblies of a publish directory carry ReadyToRun code: the CLI header's ManagedNativeHeader
directory (ECMA-335 II.25.3.3, used by ReadyToRun images for their READYTORUN_HEADER) is non-empty.
Usage: python3 r2r.py DIR  ->  one line per .dll: "NAME ReadyToRun" or "NAME IL"."""
import os
import struct
import sys


def is_ready_to_run(path):
    data = open(path, "rb").read()
    if data[:2] != b"MZ":
        return False
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    if data[pe:pe + 4] != b"PE\0\0":
        return False
    sections, opt_size = struct.unpack_from("<H", data, pe + 6)[0], struct.unpack_from("<H", data, pe + 20)[0]
    opt = pe + 24
    magic = struct.unpack_from("<H", data, opt)[0]
    directories = opt + (96 if magic == 0x10B else 112)
    cli_rva, cli_size = struct.unpack_from("<II", data, directories + 14 * 8)
    if cli_size == 0:
        return False
    table = opt + opt_size

    def offset(rva):
        for i in range(sections):
            vsize, vaddr, rsize, raw = struct.unpack_from("<IIII", data, table + i * 40 + 8)
            if vaddr <= rva < vaddr + max(vsize, rsize):
                return raw + rva - vaddr
        return None

    cli = offset(cli_rva)
    return cli is not None and struct.unpack_from("<II", data, cli + 64)[1] > 0


for name in sorted(os.listdir(sys.argv[1])):
    if name.endswith(".dll"):
        print(name, "ReadyToRun" if is_ready_to_run(os.path.join(sys.argv[1], name)) else "IL")
