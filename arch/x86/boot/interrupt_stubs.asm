; One entry stub per interrupt vector. Each pushes a zero where the CPU does
; not push an error code (SDM: "Exception and Interrupt Reference"), then the
; vector, then every general register, and calls interrupt_dispatch(frame).
; The layout pushed here is struct interrupt_frame in arch/x86/boot/idt.h.

bits 64
section .text

%macro STUB 1
interrupt_stub_%1:
%if %1 = 8 || %1 = 10 || %1 = 11 || %1 = 12 || %1 = 13 || %1 = 14 || %1 = 17 || %1 = 21 || %1 = 29 || %1 = 30
%else
    push 0
%endif
    push %1
    jmp interrupt_common
%endmacro

%assign vector 0
%rep 256
STUB vector
%assign vector vector + 1
%endrep

extern interrupt_dispatch
interrupt_common:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rdi, rsp
    cld
    call interrupt_dispatch
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16                          ; vector and error code
    iretq

section .rodata
global interrupt_stub_table
align 8
interrupt_stub_table:
%assign vector 0
%rep 256
    dq interrupt_stub_%+vector
%assign vector vector + 1
%endrep

; void stack_switch_call(uint64_t stack_top, void (*fn)(void)): runs fn on a new
; stack and never returns (the boot CPU moves onto its per-CPU stack this way).
section .text
global stack_switch_call
stack_switch_call:
    mov rsp, rdi
    xor ebp, ebp
    call rsi
.stop:
    cli
    hlt
    jmp .stop
