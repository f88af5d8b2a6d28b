/*
 * Guest-side probe of the rkt_pvm SYSCALL-by-page-fault path (kernel/README.md), run by
 * kernel/qemu-boot-test.sh --probe. No libc: assembled with `as --defsym ENTRY=<entry_SYSCALL_64>`.
 * Prints "probe: ok ..." or "probe: FAIL ..." per case, then "probe: done".
 *  1. an ordinary SYSCALL (write) works;
 *  2. jumping to entry_SYSCALL_64 by hand with IOPL=3 in r11 runs the system call but returns with
 *     IOPL 0 (flags are sanitised);
 *  3. the same jump with a kernel return address in rcx is refused: the child gets SIGSEGV.
 */
	.set SYS_write, 1
	.set SYS_getpid, 39
	.set SYS_fork, 57
	.set SYS_exit, 60
	.set SYS_wait4, 61

	.macro say msg, len
	mov	$SYS_write, %eax
	mov	$1, %edi
	lea	\msg(%rip), %rsi
	mov	$\len, %edx
	syscall
	.endm

	.text
	.globl	_start
_start:
	say	m_start, l_start

	/* 2: hand-made "SYSCALL" with IOPL=3 requested in r11 */
	pushfq
	pop	%r11
	or	$0x3000, %r11
	lea	after_iopl(%rip), %rcx
	mov	$SYS_getpid, %eax
	movabs	$ENTRY, %rdx
	jmp	*%rdx
after_iopl:
	test	%rax, %rax
	jle	iopl_bad_ret
	pushfq
	pop	%rbx
	test	$0x3000, %rbx
	jnz	iopl_bad_flags
	say	m_iopl_ok, l_iopl_ok
	jmp	case3
iopl_bad_ret:
	say	m_iopl_ret, l_iopl_ret
	jmp	case3
iopl_bad_flags:
	say	m_iopl_flags, l_iopl_flags

case3:
	/* 3: child jumps with a kernel return address; parent expects it killed by SIGSEGV */
	mov	$SYS_fork, %eax
	syscall
	test	%rax, %rax
	jnz	parent
	pushfq
	pop	%r11
	movabs	$0xffffffff81000000, %rcx
	mov	$SYS_getpid, %eax
	movabs	$ENTRY, %rdx
	jmp	*%rdx
	/* not reached if refused; if it "returned" somewhere, exit 42 */
	mov	$SYS_exit, %eax
	mov	$42, %edi
	syscall
parent:
	js	fork_failed
	mov	%rax, %rdi
	lea	status(%rip), %rsi
	xor	%edx, %edx
	xor	%r10d, %r10d
	mov	$SYS_wait4, %eax
	syscall
	mov	status(%rip), %eax
	and	$0x7f, %eax
	cmp	$11, %eax
	jne	segv_bad
	say	m_segv_ok, l_segv_ok
	jmp	done
segv_bad:
	say	m_segv_bad, l_segv_bad
	jmp	done
fork_failed:
	say	m_fork, l_fork
done:
	say	m_done, l_done
	mov	$SYS_exit, %eax
	xor	%edi, %edi
	syscall

	.data
status:	.long 0
	.section .rodata
m_start:	.ascii "probe: ok ordinary syscall\n"
	.set l_start, . - m_start
m_iopl_ok:	.ascii "probe: ok hand-made syscall ran, IOPL stayed 0\n"
	.set l_iopl_ok, . - m_iopl_ok
m_iopl_ret:	.ascii "probe: FAIL hand-made syscall returned no pid\n"
	.set l_iopl_ret, . - m_iopl_ret
m_iopl_flags:	.ascii "probe: FAIL hand-made syscall granted IOPL\n"
	.set l_iopl_flags, . - m_iopl_flags
m_segv_ok:	.ascii "probe: ok kernel return address refused with SIGSEGV\n"
	.set l_segv_ok, . - m_segv_ok
m_segv_bad:	.ascii "probe: FAIL kernel return address not refused with SIGSEGV\n"
	.set l_segv_bad, . - m_segv_bad
m_fork:	.ascii "probe: FAIL fork\n"
	.set l_fork, . - m_fork
m_done:	.ascii "probe: done\n"
	.set l_done, . - m_done
