package main

import (
	"minyi"
	"minyi/activities"
	"minyi/notify"
)

// recipients builds the notifiers of every department and of the
// supervisors and leaders from config: webhooks first, email when SMTP is configured.
func recipients(cfg Config, depts []minyi.Department) activities.Recipients {
	r := activities.Recipients{
		Departments: map[string]notify.Notifier{},
		Heads:       map[string]notify.Notifier{},
		BaseURL:     cfg.BaseURL,
	}
	mail := func(to []string) notify.Notifier {
		if cfg.Notify.SMTP.Addr == "" || len(to) == 0 {
			return nil
		}
		s := cfg.Notify.SMTP
		return notify.SMTP{Addr: s.Addr, From: s.From, To: to, Username: s.Username, Password: s.Password}
	}
	both := func(webhook, format string, to []string) notify.Notifier {
		var m notify.Multi
		if webhook != "" {
			m = append(m, notify.Webhook{URL: webhook, Format: format})
		}
		if n := mail(to); n != nil {
			m = append(m, n)
		}
		if len(m) == 0 {
			return nil
		}
		return m
	}
	for _, d := range depts {
		if n := both(d.Webhook, d.WebhookFormat, d.Email); n != nil {
			r.Departments[d.ID] = n
		}
		if n := mail(d.HeadEmail); n != nil {
			r.Heads[d.ID] = n
		}
	}
	sup := cfg.Notify.Supervisors
	r.Supervisors = both(sup.Webhook, sup.WebhookFormat, sup.Email)
	lead := cfg.Notify.Leaders
	r.Leaders = both(lead.Webhook, lead.WebhookFormat, lead.Email)
	sub := cfg.Reports.Subscribers
	r.Reports = both(sub.Webhook, sub.WebhookFormat, sub.Email)
	return r
}
