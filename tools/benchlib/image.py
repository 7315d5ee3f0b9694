"""The kernel image: section and segment sizes, symbols and objects, read with pyelftools."""
import re

from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile
import vmxboot


def _open(path):
    handle = open(path, "rb")
    return handle, ELFFile(handle)


def _allocated_sections(elf):
    return [section for section in elf.iter_sections() if section["sh_flags"] & SH_FLAGS.SHF_ALLOC]


def elf_sizes(path):
    """Section sizes (text, rodata, data, bss, as `size -A` names them) and the loadable size:
    the sum of the PT_LOAD segments' sizes in memory (and in the file)."""
    handle, elf = _open(path)
    with handle:
        sizes = {section.name: section["sh_size"] for section in _allocated_sections(elf)}
        loads = [segment for segment in elf.iter_segments() if segment["p_type"] == "PT_LOAD"]
        return sizes, sum(s["p_memsz"] for s in loads), sum(s["p_filesz"] for s in loads)


def _symbols(elf):
    """(address, size, name, section) of each function and object symbol and each assembly label."""
    table = elf.get_section_by_name(".symtab")
    if table is None:
        return []
    found = []
    for symbol in table.iter_symbols():
        index = symbol["st_shndx"]
        if not symbol.name or not isinstance(index, int) or symbol["st_info"]["type"] in ("STT_SECTION", "STT_FILE"):
            continue
        found.append((symbol["st_value"], symbol["st_size"], symbol.name, elf.get_section(index)))
    return found


def _kind(section):
    """text, rodata, data or bss, as nm's letters t, r, d, b would say."""
    if section["sh_type"] == "SHT_NOBITS":
        return "bss"
    if section["sh_flags"] & SH_FLAGS.SHF_EXECINSTR:
        return "text"
    return "data" if section["sh_flags"] & SH_FLAGS.SHF_WRITE else "rodata"


def biggest_symbols(path, count=12):
    """The largest symbols by section kind (a profile of the bytes)."""
    handle, elf = _open(path)
    with handle:
        found = {"text": [], "rodata": [], "data": [], "bss": []}
        for _, size, name, section in _symbols(elf):
            if size and section["sh_flags"] & SH_FLAGS.SHF_ALLOC:
                found[_kind(section)].append((size, name))
    return {k: sorted(v, reverse=True)[:count] for k, v in found.items()}


def bss_by_address(path, count=12):
    """bss objects sized by the distance to the next symbol, so that the assembly's reservations
    (early page tables, boot stack, which carry no size) are counted too."""
    handle, elf = _open(path)
    with handle:
        bss = elf.get_section_by_name(".bss")
        if bss is None:
            return []
        symbols = sorted((addr, name) for addr, _, name, section in _symbols(elf) if section.name == ".bss")
        bss_end = bss["sh_addr"] + bss["sh_size"]
    found = {}
    for i, (addr, name) in enumerate(symbols):
        nxt = next((a for a, _ in symbols[i + 1:] if a > addr), bss_end)
        if nxt > addr:  # several names at one address (a linker symbol on an object): both are shown
            found[addr] = (nxt - addr, found[addr][1] + " / " + name if addr in found else name)
    return sorted(found.values(), reverse=True)[:count]


def objects_by_size(count=15):
    """text and rodata of each kernel object in build/kernel (the build `make` left there)."""
    rows = []
    for obj in sorted((vmxboot.BUILD / "kernel").rglob("*.o")):
        handle, elf = _open(obj)
        with handle:
            text = sum(s["sh_size"] for s in elf.iter_sections() if s.name.startswith(".text"))
            rodata = sum(s["sh_size"] for s in elf.iter_sections() if s.name.startswith(".rodata"))
        rows.append((text + rodata, text, rodata, str(obj.relative_to(vmxboot.BUILD / "kernel"))))
    return sorted(rows, reverse=True)[:count]


def rodata_string_bytes(path):
    """Bytes of printable strings (4 characters or more) in .rodata: mostly log messages."""
    handle, elf = _open(path)
    with handle:
        rodata = elf.get_section_by_name(".rodata")
        data = rodata.data() if rodata is not None else b""
    return sum(len(m.group(0)) + 1 for m in re.finditer(rb"[\x20-\x7e\t\n]{4,}(?=\0)", data))
