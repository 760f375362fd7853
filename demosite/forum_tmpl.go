package demosite

import "html/template"

// The forum's markup follows Discuz! X3.4's default template closely enough
// that a crawler written for real city forums works on it: the same ids and
// classes, the boilerplate around the content, and unescaped "&" in the
// links the crawler follows (html/template keeps literal template text as it
// is and escapes every value put into it).

const forumLayout = `{{define "layout"}}<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk" />
<title>{{.Title}} - 临江论坛 - Powered by Discuz!</title>
<meta name="keywords" content="临江论坛,临江,民生,{{.Title}}" />
<meta name="description" content="临江论坛 - 临江市民的网上家园" />
<meta name="generator" content="Discuz! X3.4" />
<meta name="MSSmartTagsPreventParsing" content="True" />
<meta http-equiv="MSThemeCompatible" content="Yes" />
<link rel="stylesheet" type="text/css" href="data/cache/style_1_common.css?xYz" />
<script type="text/javascript">var STYLEID = '1', STATICURL = 'static/', IMGDIR = 'static/image/common', charset = 'gbk', discuz_uid = '0', cookiepre = 'lj_2132_', SITEURL = './';</script>
<script src="static/js/common.js?xYz" type="text/javascript"></script>
</head>
<body id="nv_forum" class="pg_{{.Mod}}" onkeydown="if(event.keyCode==27) return false;">
<div id="append_parent"></div><div id="ajaxwaitid"></div>
<div id="toptb" class="cl">
<div class="wp">
<div class="z"><a href="javascript:;" onclick="setHomepage('./');">设为首页</a><a href="javascript:;" onclick="addFavorite(this.href, '临江论坛');return false;">收藏本站</a></div>
<div class="y"><a href="member.php?mod=logging&action=login" rel="nofollow">登录</a><span class="pipe">|</span><a href="member.php?mod=register" rel="nofollow">立即注册</a></div>
</div>
</div>
<div id="hd">
<div class="wp">
<div class="hdc cl"><h2><a href="./" title="临江论坛"><img src="static/image/common/logo.png" alt="临江论坛" border="0" /></a></h2>
<div id="scbar" class="cl">
<form id="scbar_form" method="post" autocomplete="off" action="search.php?searchsubmit=yes" target="_blank">
<input type="hidden" name="mod" id="scbar_mod" value="search" />
<input type="hidden" name="formhash" value="a1b2c3d4" />
<table cellspacing="0" cellpadding="0"><tr>
<td class="scbar_txt_td"><input type="text" name="srchtxt" id="scbar_txt" value="" autocomplete="off" x-webkit-speech speech placeholder="请输入搜索内容" /></td>
<td class="scbar_type_td"><a href="javascript:;" id="scbar_type" class="xg1" hidefocus="true">帖子</a></td>
<td class="scbar_btn_td"><button type="submit" name="searchsubmit" id="scbar_btn" sc="1" class="pn pnc" value="true"><strong class="xi2">搜索</strong></button></td>
</tr></table>
</form>
</div>
</div>
<div id="nv">
<ul>
<li class="a" id="mn_forum"><a href="forum.php" hidefocus="true" title="BBS">论坛<span>BBS</span></a></li>
<li id="mn_home"><a href="home.php" hidefocus="true" title="Space">家园<span>Space</span></a></li>
<li id="mn_N1"><a href="/mailbox/list?page=1" hidefocus="true">市长信箱</a></li>
</ul>
</div>
</div>
</div>
<div id="wp" class="wp">
<div id="pt" class="bm cl"><div class="z"><a href="./" class="nvhm" title="首页">临江论坛</a><em>&raquo;</em><a href="forum.php">论坛</a>{{range .Crumbs}}<em>&rsaquo;</em><a href="{{.URL}}">{{.Name}}</a>{{end}}</div></div>
{{template "content" .}}
</div>
<div id="ft" class="wp cl">
<div id="flk" class="y">
<p><a href="/admin/">站务管理</a><span class="pipe">|</span><a href="mailto:admin@linjiang.example" >联系我们</a><span class="pipe">|</span><a href="archiver/">Archiver</a><span class="pipe">|</span><strong><a href="./" target="_blank">临江论坛</a></strong> ( <a href="https://beian.miit.gov.cn/" target="_blank">江ICP备12345678号-1</a> )</p>
<p class="xs0">公安机关备案号：32010202000001 <span class="pipe">|</span> 违法和不良信息举报电话：0512-12345678</p>
</div>
<div id="frt">
<p>Powered by <strong><a href="http://www.discuz.net" target="_blank">Discuz!</a></strong> <em>X3.4</em></p>
<p class="xs0">&copy; 2001-2024 <a href="http://www.comsenz.com" target="_blank">Comsenz Inc.</a></p>
</div>
<p class="xg1 disclaimer">免责声明：本站是提供个人知识管理的网络存储空间，所有内容均由用户发布，不代表本站观点。如发现有害或侵权内容，请点击“站务管理”联系删除。</p>
</div>
<script src="static/js/home.js?xYz" type="text/javascript"></script>
</body>
</html>
{{end}}`

const forumIndexContent = `{{define "content"}}<div id="ct" class="wp cl">
<div class="mn">
<div id="chart" class="bm bw0 cl"><p class="chart z">今日: <em>{{.Today}}</em><span class="pipe">|</span>帖子: <em>{{.Posts}}</em><span class="pipe">|</span>会员: <em>{{.Members}}</em></p></div>
<div class="fl bm">
<div class="bm bmw flg cl">
<div class="bm_h cl"><h2><a href="forum.php?gid=1" style="">临江论坛</a></h2></div>
<div id="category_1" class="bm_c">
<table cellspacing="0" cellpadding="0" class="fl_tb">
{{range .Boards}}<tr>
<td class="fl_g" width="24.9%">
<div class="fl_icn_g"><img src="static/image/common/forum.gif" alt="{{.Name}}" /></div>
<dl>
<dt><a href="forum.php?mod=forumdisplay&fid={{.Fid}}">{{.Name}}</a>{{if .Today}}<em class="xw0 xi1" title="今日"> ({{.Today}})</em>{{end}}</dt>
<dd><em>主题: {{.Threads}}</em>, <em>帖数: {{.Posts}}</em></dd>
<dd>{{if .LastTID}}<a href="forum.php?mod=viewthread&tid={{.LastTID}}&extra=page%3D1" class="xi2">最后发表: {{.LastDate}}</a>{{else}}从未{{end}}</dd>
</dl>
</td>
</tr>
{{end}}</table>
</div>
</div>
</div>
</div>
</div>
{{end}}`

const forumDisplayContent = `{{define "content"}}<div id="ct" class="wp cl">
<div class="mn">
<div class="bm bml pbn">
<div class="bm_h cl">
<span class="y"><a href="home.php?mod=spacecp&ac=favorite&type=forum&id={{.Fid}}" id="a_favorite" class="fa_fav">收藏本版</a></span>
<h1 class="xs2"><a href="forum.php?mod=forumdisplay&fid={{.Fid}}">{{.Board}}</a> <span class="xs1 xw0 i">今日: <strong class="xi1">{{.Today}}</strong><span class="pipe">|</span>主题: <strong class="xi1">{{.Total}}</strong></span></h1>
</div>
<div class="bm_c cl pbn"><div>版主: <span class="xi2"><a href="home.php?mod=space&uid=1" class="notabs">论坛管理员</a></span></div></div>
</div>
<div id="pgt" class="bm bw0 pgs cl"><span id="fd_page_top">{{.Pager}}</span>
<a href="javascript:;" id="newspecial" title="发新帖"><img src="static/image/common/pn_post.png" alt="发新帖" /></a></div>
<div id="threadlist" class="tl bm bmw">
<div class="th"><table cellspacing="0" cellpadding="0"><tr><th colspan="2"><div class="tf">全部主题</div></th><td class="by">作者</td><td class="num">回复/查看</td><td class="by">最后发表</td></tr></table></div>
<div class="bm_c">
<form method="post" autocomplete="off" name="moderate" id="moderate" action="forum.php?mod=topicadmin&action=moderate&fid={{.Fid}}&infloat=yes&nopost=yes">
<table summary="forum_{{.Fid}}" cellspacing="0" cellpadding="0" id="threadlisttableid">
{{if .Sticky}}<tbody id="stickthread_{{.Sticky.TID}}">
<tr>
<td class="icn"><a href="forum.php?mod=viewthread&tid={{.Sticky.TID}}&extra=page%3D1" title="全局置顶主题 - 新窗口打开" target="_blank"><img src="static/image/common/pin_3.gif" alt="全局置顶" /></a></td>
<th class="common"><a href="forum.php?mod=viewthread&tid={{.Sticky.TID}}&extra=page%3D1" onclick="atarget(this)" class="s xst">{{.Sticky.Title}}</a></th>
<td class="by"><cite><a href="home.php?mod=space&uid=1" c="1">{{.Sticky.Author}}</a></cite><em><span>{{.Sticky.Date}}</span></em></td>
<td class="num"><a href="forum.php?mod=viewthread&tid={{.Sticky.TID}}&extra=page%3D1" class="xi2">{{.Sticky.Replies}}</a><em>{{.Sticky.Views}}</em></td>
<td class="by"><cite>{{.Sticky.LastPoster}}</cite><em>{{.Sticky.LastDate}}</em></td>
</tr>
</tbody>
<tbody id="separatorline" class="emptb"><tr class="ts"><td>&nbsp;</td><th><a href="javascript:;" onclick="hideStickThread()" title="隐藏置顶帖" class="showhide y">隐藏置顶帖</a>版块主题</th><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td></tr></tbody>
{{end}}{{range $row := .Rows}}<tbody id="normalthread_{{.TID}}">
<tr>
<td class="icn"><a href="forum.php?mod=viewthread&tid={{.TID}}&extra=page%3D1" title="有新回复 - 新窗口打开" target="_blank"><img src="static/image/common/folder_common.gif" /></a></td>
<th class="new">
<a href="javascript:;" id="content_{{.TID}}" class="showcontent y" title="更多操作" onclick="CONTENT_TID='{{.TID}}';CONTENT_ID='normalthread_{{.TID}}';showMenu({'ctrlid':this.id,'menuid':'content_menu'})"></a>
<a href="forum.php?mod=viewthread&tid={{.TID}}&extra=page%3D1" onclick="atarget(this)" class="s xst">{{.Title}}</a>
{{if .Pages}}<span class="tps">&nbsp;...{{range .Pages}}<a href="forum.php?mod=viewthread&tid={{$row.TID}}&extra=page%3D1&page={{.}}">{{.}}</a>{{end}}</span>{{end}}
</th>
<td class="by">
<cite><a href="home.php?mod=space&uid={{.UID}}" c="1">{{.Author}}</a></cite>
<em><span>{{.Date}}</span></em>
</td>
<td class="num"><a href="forum.php?mod=viewthread&tid={{.TID}}&extra=page%3D1" class="xi2">{{.Replies}}</a><em>{{.Views}}</em></td>
<td class="by">
<cite>{{.LastPoster}}</cite>
<em><span>{{.LastDate}}</span></em>
</td>
</tr>
</tbody>
{{end}}</table>
</form>
</div>
</div>
<div class="bm bw0 pgs cl"><span id="fd_page_bottom">{{.Pager}}</span></div>
</div>
</div>
{{end}}`

const viewThreadContent = `{{define "content"}}<div id="ct" class="wp cl">
<div id="pgt" class="pgs mbm cl">{{.Pager}}
<span class="pgb y"><a href="forum.php?mod=forumdisplay&fid={{.Fid}}">返回列表</a></span></div>
<div id="postlist" class="pl bm">
<table cellspacing="0" cellpadding="0">
<tr>
<td class="pls ptn pbn"><div class="hm ptn"><span class="xg1">查看:</span> <span class="xi1">{{.Views}}</span><span class="pipe">|</span><span class="xg1">回复:</span> <span class="xi1">{{.Replies}}</span></div></td>
<td class="plc ptm pbn vwthd">
<h1 class="ts"><a href="forum.php?mod=forumdisplay&fid={{.Fid}}">[{{.Board}}]</a> <span id="thread_subject">{{.Title}}</span></h1>
<span class="xg1"><a href="forum.php?mod=viewthread&tid={{.TID}}" onclick="return copyThreadUrl(this, '临江论坛')">[复制链接]</a></span>
</td>
</tr>
</table>
{{range .Posts}}<div id="post_{{.PID}}">
<table id="pid{{.PID}}" class="plhin" summary="pid{{.PID}}" cellspacing="0" cellpadding="0">
<tr>
<td class="pls" rowspan="2">
<div id="favatar{{.PID}}" class="pls favatar">
<div class="pi"><div class="authi"><a href="home.php?mod=space&uid={{.UID}}" target="_blank" class="xw1">{{.Author}}</a></div></div>
<div><div class="avatar"><a href="home.php?mod=space&uid={{.UID}}" class="avtm" target="_blank"><img src="uc_server/avatar.php?uid={{.UID}}&size=middle" /></a></div></div>
</div>
</td>
<td class="plc">
<div class="pi">
<strong><a href="javascript:;" id="postnum{{.PID}}" onclick="setCopy(this.href, '帖子地址复制成功');return false;">{{.Floor}}</a></strong>
<div class="pti">
<div class="pdbt"></div>
<div class="authi">
<img class="authicn vm" id="authicon{{.PID}}" src="static/image/common/online_member.gif" />
{{.PostedOn}}
<span class="pipe">|</span><a href="javascript:;" rel="nofollow">只看该作者</a>
</div>
</div>
</div>
<div class="pct"><div class="pcb">
<div class="t_fsz">
<table cellspacing="0" cellpadding="0"><tr><td class="t_f" id="postmessage_{{.PID}}">{{.Message}}</td></tr></table>
</div>
</div></div>
</td></tr>
<tr><td class="plc plm">{{with .Votes}}<div id="p_btn" class="mtw mbm hm cl">
<a id="recommend_add" href="forum.php?mod=misc&amp;action=recommend&amp;do=add&amp;tid={{.TID}}" title="顶一下"><i><img src="static/image/common/rec_add.gif" alt="支持" />支持<span id="recommendv_add">{{.Likes}}</span></i></a>
<a id="recommend_subtract" href="forum.php?mod=misc&amp;action=recommend&amp;do=subtract&amp;tid={{.TID}}" title="踩一下"><i><img src="static/image/common/rec_subtract.gif" alt="反对" />反对<span id="recommendv_subtract">{{.Dislikes}}</span></i></a>
</div>{{end}}{{if .Sign}}<div class="sign" style="max-height:100px;maxHeightIE:100px;">{{.Sign}}</div>{{end}}</td></tr>
<tr><td class="pls"></td><td class="plc"><div class="po hin"><div class="pob cl"><em><a class="fastre" href="javascript:;">回复</a></em><p><a href="javascript:;" onclick="showWindow('miscreport{{.PID}}')">举报</a></p></div></div></td></tr>
</table>
</div>
{{end}}</div>
<div class="bm bw0 share cl">
<span class="xg1">分享到:</span>
<a href="javascript:;" class="share-wx" title="分享到微信">分享到微信</a>
<a href="javascript:;" class="share-qzone" title="分享到QQ空间">分享到QQ空间</a>
<a href="javascript:;" class="share-weibo" title="分享到新浪微博">分享到微博</a>
</div>
<div class="pgs mtm mbm cl">{{.Pager}}<span class="pgb y"><a href="forum.php?mod=forumdisplay&fid={{.Fid}}">返回列表</a></span></div>
</div>
{{end}}`

const messageContent = `{{define "content"}}<div id="ct" class="wp cl w">
<div class="nfl">
<div class="f_c altw">
<div id="messagetext" class="alert_error">
<p>{{.Message}}</p>
<p class="alert_btnleft"><a href="javascript:history.back()">[ 点击这里返回上一页 ]</a></p>
</div>
</div>
</div>
</div>
{{end}}`

var (
	forumBase    = template.Must(template.New("base").Parse(forumLayout))
	forumIndexT  = withContent(forumIndexContent)
	forumListT   = withContent(forumDisplayContent)
	forumThreadT = withContent(viewThreadContent)
	forumMsgT    = withContent(messageContent)
)

func withContent(content string) *template.Template {
	return template.Must(template.Must(forumBase.Clone()).Parse(content))
}
