; The boot CPU's path from GRUB to C. GRUB enters here in 32-bit protected
; mode, paging off, EAX = Multiboot2 magic, EBX = physical address of the
; boot information (Multiboot2 spec, "I386 machine state").
;
; We build temporary page tables that identity map, with 2 MiB pages, the
; first GiB (the kernel, its first stack, the frames paging_init takes: the
; frame allocator hands out the lowest free frames first) and the GiB that
; holds the boot information, should GRUB have put it higher. Then we switch
; to long mode and call kernel_main(magic, info_phys); mm/paging.c replaces
; these tables with W^X ones that map all RAM early in kernel_main. Two page
; directories instead of four: these tables count in the image's size.

%include "asm_defs.inc"                  ; generated from the C definitions (arch/x86/asm_defs.c)

BOOT_STACK_BYTES equ 8192

section .bss.page_aligned nobits alloc noexec write align=4096
align 4096
early_pml4:       resb 4096
early_pdpt:       resb 4096
early_pd:         resb 4096 * 2          ; GiB 0, and the boot information's GiB
; The boot CPU's first stack: only until kernel_main moves onto the boot
; CPU's per-CPU stack (with its guard page), a few calls deep. Kept small:
; it counts in the image's loadable size.
boot_stack_bottom:
                  resb BOOT_STACK_BYTES
boot_stack_top:

section .data
boot_magic:     dd 0
boot_info_phys: dd 0

align 16
early_gdt:
    dq 0                                 ; null
    dq GDT_DESCRIPTOR_CODE64             ; GDT_KERNEL_CODE
    dq GDT_DESCRIPTOR_DATA               ; GDT_KERNEL_DATA
early_gdt_end:
early_gdt_pointer:
    dw early_gdt_end - early_gdt - 1
    dq early_gdt

section .boot.text progbits alloc exec nowrite
bits 32
; Fills the page directory at EDI with 512 2 MiB pages from the physical address in ESI.
fill_page_directory:
    xor ecx, ecx
.next:
    mov eax, ecx
    shl eax, 21
    add eax, esi
    or eax, PTE_PRESENT | PTE_WRITABLE | PTE_LARGE
    mov [edi + ecx * 8], eax
    mov dword [edi + ecx * 8 + 4], 0
    inc ecx
    cmp ecx, 512
    jb .next
    ret

global _start
_start:
    cli
    cld
    mov esp, boot_stack_top
    mov [boot_magic], eax
    mov [boot_info_phys], ebx

    ; Long mode needs CPUID leaf 0x80000001 EDX bit 29 (LM).
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jz .no_long_mode
    mov ebp, edx                         ; keep: bit 20 says NX exists

    ; PML4[0] -> PDPT, PDPT[0] -> early_pd: the first GiB in 2 MiB pages.
    mov dword [early_pml4], early_pdpt + (PTE_PRESENT | PTE_WRITABLE)
    mov dword [early_pdpt], early_pd + (PTE_PRESENT | PTE_WRITABLE)
    mov edi, early_pd
    xor esi, esi                         ; esi = physical base of the GiB
    call fill_page_directory
    ; The boot information's GiB, when it is not the first. (A block that
    ; crossed into yet another GiB would fault in multiboot2_parse: a decoded
    ; #PF panic, never a silent misread.)
    mov edx, [boot_info_phys]
    shr edx, 30                          ; its GiB: 0..3
    jz .mapped
    lea eax, [early_pd + 4096 + (PTE_PRESENT | PTE_WRITABLE)]
    mov [early_pdpt + edx * 8], eax
    mov edi, early_pd + 4096
    mov esi, edx
    shl esi, 30
    call fill_page_directory
.mapped:

    mov eax, cr4
    or eax, CR4_PAE
    mov cr4, eax
    mov eax, early_pml4
    mov cr3, eax
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_LME
    test ebp, 1 << 20
    jz .no_nx
    or eax, EFER_NXE
.no_nx:
    wrmsr
    mov eax, cr0
    or eax, CR0_PG | CR0_PE | CR0_WP
    mov cr0, eax
    lgdt [early_gdt_pointer]
    jmp GDT_KERNEL_CODE:.long_mode

.no_long_mode:
    ; Nothing else is set up: say so on COM1 and the 0xE9 debug port, then stop.
    mov esi, no_long_mode_message
.print:
    lodsb
    test al, al
    jz .halt
    mov dx, 0x3f8
    out dx, al
    out 0xe9, al
    jmp .print
.halt:
    hlt
    jmp .halt

bits 64
.long_mode:
    mov ax, GDT_KERNEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov rsp, boot_stack_top
    xor ebp, ebp                         ; end of the frame-pointer chain for backtraces
    call stack_canary_seed               ; before any C function with a protected frame
    mov edi, [boot_magic]
    mov esi, [boot_info_phys]
    extern kernel_main
    call kernel_main
.stop:
    cli
    hlt
    jmp .stop

; A per-boot stack-protector canary (-fstack-protector-strong reads
; __stack_chk_guard): RDRAND where CPUID.1:ECX[30] has it, mixed with the TSC.
stack_canary_seed:
    push rbx
    mov eax, 1
    cpuid
    rdtsc
    shl rdx, 32
    or rax, rdx
    mov rsi, 0x9e3779b97f4a7c15          ; spread the TSC's low-entropy bits
    imul rax, rsi
    bt ecx, 30
    jnc .no_rdrand
    mov ecx, 10                          ; RDRAND may fail transiently: retry a few times
.retry:
    rdrand rdx
    jc .mix
    loop .retry
    jmp .no_rdrand
.mix:
    xor rax, rdx
.no_rdrand:
    xor al, al                           ; a zero byte stops string overflows reading it out
    global __stack_chk_guard
    mov [__stack_chk_guard], rax
    pop rbx
    ret

section .data
__stack_chk_guard: dq 0x595e9fbd94fda766

section .rodata
no_long_mode_message: db "vmxroot: this CPU has no long mode (x86-64); cannot boot", 13, 10, 0
