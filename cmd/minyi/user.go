package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"minyi"
	"minyi/api/core"
	"minyi/routing"
)

const userUsage = `usage:
  minyi user add     [--config f] -login name -role analyst|department|supervisor|admin [-name 显示名] [-department id] [-password pw]
  minyi user passwd  [--config f] -login name [-password pw]
  minyi user disable [--config f] -login name [-enable]
  minyi user list    [--config f]
Without -password the password is read from the first line of standard input.`

// runUser manages the accounts in the store, for the first admin of a real
// install (and for recovering one).
func runUser(ctx context.Context, args []string, stdin io.Reader, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", userUsage)
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	var f commonFlags
	fs.StringVar(&f.config, "config", "", "YAML config file (the store to change)")
	fs.StringVar(&f.data, "data", "", "data directory (overrides data_dir)")
	login := fs.String("login", "", "login name (lower case)")
	name := fs.String("name", "", "display name, e.g. 市住建局 办理员")
	role := fs.String("role", "", "analyst, department, supervisor or admin")
	dept := fs.String("department", "", "department id, for role department")
	password := fs.String("password", "", "password (else read from standard input)")
	enable := fs.Bool("enable", false, "with disable: enable the user again")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := f.load()
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.Store)
	if err != nil {
		return fmt.Errorf("opening store: %w", err)
	}
	defer store.Close()
	readPassword := func() (string, error) {
		if *password != "" {
			return *password, nil
		}
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		pw := strings.TrimRight(line, "\r\n")
		if pw == "" {
			return "", fmt.Errorf("no password: pass -password or write it to standard input")
		}
		return pw, nil
	}
	if sub != "list" && *login == "" {
		return fmt.Errorf("user %s: -login is required\n%s", sub, userUsage)
	}
	switch sub {
	case "add":
		pw, err := readPassword()
		if err != nil {
			return err
		}
		var depts []minyi.Department
		// The departments in force: edited on the admin pages, else the config's.
		if rc, err := loadRouting(ctx, cfg, store, slog.New(slog.DiscardHandler)); err == nil {
			if r, err := routing.New(rc); err == nil {
				depts = r.Directory().Departments()
			}
		}
		u, err := core.NewUser(*login, *name, minyi.Role(*role), *dept, pw, depts)
		if err != nil {
			return errors.New(minyi.ErrorMessage(err))
		}
		if err := store.CreateUser(ctx, u); err != nil {
			return errors.New(minyi.ErrorMessage(err))
		}
		audit(ctx, store, minyi.AuditUserAdd, u.Login, "minyi user add")
		fmt.Fprintf(out, "created user %s (%s)\n", u.Login, u.Role)
	case "passwd":
		pw, err := readPassword()
		if err != nil {
			return err
		}
		h, err := core.HashPassword(pw)
		if err != nil {
			return errors.New(minyi.ErrorMessage(err))
		}
		if err := changeUser(ctx, store, *login, func(u *minyi.User) { u.PasswordHash = h }); err != nil {
			return err
		}
		audit(ctx, store, minyi.AuditPasswordSet, *login, "minyi user passwd")
		fmt.Fprintf(out, "password of %s changed; their sessions were ended\n", *login)
	case "disable":
		if err := changeUser(ctx, store, *login, func(u *minyi.User) { u.Disabled = !*enable }); err != nil {
			return err
		}
		action, word := minyi.AuditUserDisable, "disabled"
		if *enable {
			action, word = minyi.AuditUserEnable, "enabled"
		}
		audit(ctx, store, action, *login, "minyi user disable")
		fmt.Fprintf(out, "user %s %s\n", *login, word)
	case "list":
		users, err := store.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "LOGIN\tNAME\tROLE\tDEPARTMENT\tSTATUS\tLAST LOGIN")
		for _, u := range users {
			status, last := "active", "-"
			if u.Disabled {
				status = "disabled"
			}
			if !u.LastLogin.IsZero() {
				last = u.LastLogin.In(minyi.ChinaTime).Format("2006-01-02 15:04")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Login, u.Name, u.Role, u.Department, status, last)
		}
		return tw.Flush()
	default:
		return fmt.Errorf("unknown user command %q\n%s", sub, userUsage)
	}
	return nil
}

// changeUser updates one user and ends their sessions.
func changeUser(ctx context.Context, store minyi.Store, login string, change func(*minyi.User)) error {
	u, err := store.User(ctx, login)
	if err != nil {
		return errors.New(minyi.ErrorMessage(err))
	}
	change(u)
	if err := store.UpdateUser(ctx, *u); err != nil {
		return err
	}
	return store.DeleteUserSessions(ctx, login)
}

func audit(ctx context.Context, store minyi.Store, action, target, detail string) {
	_ = store.AppendAudit(ctx, minyi.AuditEntry{Actor: "cli", Action: action, Target: target, Detail: detail})
}
