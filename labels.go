package minyi

import "slices"

// The Chinese names of the domain's words, written once: pages, exports and
// notifications all take them from here. String() stays the English key for
// logs and the API.

var rungLabels = map[Rung]string{
	RungReminder: "提醒", RungOverdue: "超期", RungUrge: "催办",
	RungSupervise: "督办", RungNotice: "通报",
}

// Label is the rung's Chinese name, e.g. 催办.
func (r Rung) Label() string { return labelOr(rungLabels[r], string(r)) }

// Rungs lists the ladder in order, lowest first.
var Rungs = []Rung{RungReminder, RungOverdue, RungUrge, RungSupervise, RungNotice}

var statusLabels = map[CaseStatus]string{
	CaseRouting: "待交办", CaseOpen: "办理中", CaseAnswered: "已答复", CaseClosed: "已办结",
}

// Label is the status's Chinese name, e.g. 办理中.
func (s CaseStatus) Label() string { return labelOr(statusLabels[s], string(s)) }

var ratingLabels = map[Rating]string{
	RatingSatisfied: "满意", RatingBasic: "基本满意", RatingDissatisfied: "不满意",
}

// Label is the rating's Chinese name, e.g. 基本满意.
func (r Rating) Label() string { return labelOr(ratingLabels[r], string(r)) }

// Ratings lists the ratings in the order a form offers them.
var Ratings = []Rating{RatingSatisfied, RatingBasic, RatingDissatisfied}

var eventLabels = map[EventType]string{
	EventOpened: "受理", EventRouted: "交办", EventReminder: "到期提醒", EventOverdue: "超期",
	EventUrge: "催办", EventSupervise: "督办", EventNotice: "通报", EventReplied: "答复",
	EventSourceReplied: "网站答复", EventReturned: "回退", EventExtensionRequested: "申请延期",
	EventExtensionApproved: "同意延期", EventExtensionRejected: "驳回延期", EventRated: "回访评价",
	EventReopened: "重办", EventReassigned: "改派", EventClosed: "办结", EventFollowUp: "追问",
	EventMerged: "并单", EventMergedLetter: "并入来信",
}

// Label is the event's Chinese name, e.g. 回退.
func (e EventType) Label() string { return labelOr(eventLabels[e], string(e)) }

var kindLabels = map[Kind]string{KindPost: "论坛帖子", KindMessage: "留言信件"}

// Label is the kind's Chinese name, e.g. 留言信件.
func (k Kind) Label() string { return labelOr(kindLabels[k], string(k)) }

// Label is the message type itself: its values are already Chinese.
func (t MessageType) Label() string { return string(t) }

func labelOr(label, fallback string) string {
	if label == "" {
		return fallback
	}
	return label
}

// NoticeKind is what a notification is about: a case assigned, a rung of
// the ladder, or an opinion alert.
type NoticeKind string

const (
	NoticeAssigned  NoticeKind = "assigned" // 交办: a case reached its department
	NoticeReminder  NoticeKind = NoticeKind(RungReminder)
	NoticeOverdue   NoticeKind = NoticeKind(RungOverdue)
	NoticeUrge      NoticeKind = NoticeKind(RungUrge)
	NoticeSupervise NoticeKind = NoticeKind(RungSupervise)
	NoticeNotice    NoticeKind = NoticeKind(RungNotice)
	NoticeAlert     NoticeKind = "alert"     // 舆情预警, e.g. a negative-sentiment spike
	NoticeExtension NoticeKind = "extension" // 延期申请: a department asks supervisors for more time
	NoticeReport    NoticeKind = "report"    // 舆情报告: a report published to its subscribers
	NoticeIncident  NoticeKind = "incident"  // 重大舆情事件: raised, to the leaders at once
	NoticeFollowUp  NoticeKind = "follow_up" // 追问: a citizen asks again about an answered letter
)

var noticeLabels = map[NoticeKind]string{NoticeAssigned: "交办", NoticeAlert: "预警", NoticeExtension: "延期申请", NoticeReport: "舆情报告", NoticeIncident: "重大舆情事件", NoticeFollowUp: "追问"}

// Label is the kind's Chinese name, e.g. 交办 or 催办.
func (k NoticeKind) Label() string {
	if l, ok := noticeLabels[k]; ok {
		return l
	}
	return Rung(k).Label()
}

// IsRung tells the notices of the escalation ladder from the others.
func (k NoticeKind) IsRung() bool { return slices.Contains(Rungs, Rung(k)) }
