package compat

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair.
func openPTY() (master, slave *os.File, err error) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		return nil, nil, err
	}
	n, err := unix.IoctlGetUint32(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		m.Close()
		return nil, nil, err
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		return nil, nil, err
	}
	return m, s, nil
}

// runWithTerminal runs the openstack CLI with a terminal on stdin (its
// controlling terminal), typing each of answers at it, as a person
// answering --password-prompt would.
func (c *cloud) runWithTerminal(t *testing.T, cr creds, answers []string, args ...string) string {
	t.Helper()
	master, slave, err := openPTY()
	if err != nil {
		t.Skipf("no pseudo-terminal available: %v", err)
	}
	defer master.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "openstack", args...)
	cmd.Env = c.env(cr)
	cmd.Stdin = slave
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		slave.Close()
		t.Fatal(err)
	}
	slave.Close()
	// getpass flushes typed-ahead input when it turns echo off, so answer
	// each prompt only once it has been shown.
	prompts := make(chan struct{}, len(answers))
	go watchPrompts(master, prompts)
	for _, a := range answers {
		select {
		case <-prompts:
		case <-ctx.Done():
			t.Fatalf("no password prompt from openstack %s", strings.Join(args, " "))
		}
		time.Sleep(50 * time.Millisecond)
		if _, err := master.Write([]byte(a + "\n")); err != nil {
			t.Fatalf("typing at the prompt: %v", err)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("openstack %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.String()
}

// watchPrompts signals each "Password:" prompt the terminal shows.
func watchPrompts(master io.Reader, prompts chan<- struct{}) {
	var seen strings.Builder
	buf := make([]byte, 256)
	for {
		n, err := master.Read(buf)
		if n > 0 {
			seen.Write(buf[:n])
			for strings.Contains(seen.String(), "Password:") {
				prompts <- struct{}{}
				rest := seen.String()[strings.Index(seen.String(), "Password:")+len("Password:"):]
				seen.Reset()
				seen.WriteString(rest)
			}
		}
		if err != nil {
			return
		}
	}
}
