package ui

import "strings"

// language is one entry of the Welcome screen's list.
type language struct {
	Tag  string // BCP 47, sent as Values["language"]
	Name string // shown, sent as Values["languageName"]
}

// defaultLanguages is the Welcome screen's list, in OOBE order.
var defaultLanguages = []language{
	{"en-US", "English (United States)"},
	{"en-GB", "English (United Kingdom)"},
	{"de-DE", "Deutsch"},
	{"fr-FR", "Français"},
	{"es-ES", "Español"},
	{"it-IT", "Italiano"},
	{"nl-NL", "Nederlands"},
	{"pt-BR", "Português (Brasil)"},
	{"pl-PL", "Polski"},
	{"sv-SE", "Svenska"},
	{"ja-JP", "日本語"},
	{"zh-CN", "中文(简体)"},
}

// languagesWith returns the list and the index of lang in it, matching the
// tag or the name without regard to case; a language not in the list is
// added at the top. An empty lang selects the first entry.
func languagesWith(lang string) ([]language, int) {
	list := defaultLanguages
	if lang == "" {
		return list, 0
	}
	for i, l := range list {
		if strings.EqualFold(l.Tag, lang) || strings.EqualFold(l.Name, lang) {
			return list, i
		}
	}
	return append([]language{{Tag: lang, Name: lang}}, list...), 0
}
