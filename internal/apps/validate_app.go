package apps

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

var (
	guidRE    = regexp.MustCompile(`^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$`)
	versionRE = regexp.MustCompile(`^\d{1,9}(\.\d{1,9}){0,3}$`)
	typeRE    = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9]{0,127}$`)
)

// normalize checks a's own properties and puts them in canonical form;
// old is the stored app on update (nil on create). Errors are
// apperr.InvalidError naming the Graph property.
func (a *App) normalize(old *App) error {
	if err := a.normalizeCommon(); err != nil {
		return err
	}
	switch a.Kind {
	case Win32:
		a.ODataType = string(Win32)
		return a.normalizeWin32()
	case MSI:
		a.ODataType = string(MSI)
		return a.normalizeMSI(old)
	case Unsupported:
		if !typeRE.MatchString(a.ODataType) || a.ODataType == string(Win32) || a.ODataType == string(MSI) {
			return apperr.Invalid("an unsupported app needs its Graph type name (such as webApp), not %q", a.ODataType)
		}
		if a.InstallCommand != "" || a.UninstallCommand != "" || len(a.DetectionRules) > 0 || a.ProductCode != "" || len(a.Dependencies) > 0 {
			return apperr.Invalid("whiteglove does not install %s apps, so they take no commands, rules or dependencies", a.ODataType)
		}
		a.RunAsAccount = ""
		return nil
	}
	return apperr.Invalid("unknown app kind %q", a.Kind)
}

func (a *App) normalizeCommon() error {
	a.DisplayName = strings.TrimSpace(a.DisplayName)
	if a.DisplayName == "" {
		return apperr.Invalid("displayName is required")
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{
		{"displayName", a.DisplayName, MaxDisplayNameLen}, {"description", a.Description, MaxDescriptionLen},
		{"publisher", a.Publisher, MaxNameLen}, {"developer", a.Developer, MaxNameLen}, {"owner", a.Owner, MaxNameLen},
		{"notes", a.Notes, MaxDescriptionLen}, {"fileName", a.FileName, MaxFileNameLen},
		{"informationUrl", a.InformationURL, MaxURLLen}, {"privacyInformationUrl", a.PrivacyInformationURL, MaxURLLen},
	} {
		if err := maxLen(f.name, f.v, f.max); err != nil {
			return err
		}
	}
	for _, f := range [][2]string{{"informationUrl", a.InformationURL}, {"privacyInformationUrl", a.PrivacyInformationURL}} {
		name, v := f[0], f[1]
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return apperr.Invalid("%s must be an http or https URL, not %q", name, v)
		}
	}
	if strings.ContainsAny(a.FileName, `\/:*?"<>|`) {
		return apperr.Invalid("fileName %q must be a file name without a folder or any of \\ / : * ? \" < > |", a.FileName)
	}
	tags, err := normalizeTags(a.RoleScopeTagIDs)
	a.RoleScopeTagIDs = tags
	return err
}

func (a *App) normalizeWin32() error {
	if a.ProductCode != "" || a.ProductVersion != "" || a.IgnoreVersionDetection {
		return apperr.Invalid("productCode, productVersion and ignoreVersionDetection belong to windowsMobileMSI apps; a win32LobApp detects its install with detection rules")
	}
	if err := checkCommand("installCommandLine", &a.InstallCommand, true); err != nil {
		return err
	}
	if err := checkCommand("uninstallCommandLine", &a.UninstallCommand, true); err != nil {
		return err
	}
	if err := checkCommand("setupFilePath", &a.SetupFilePath, false); err != nil {
		return err
	}
	if err := oneOf("installExperience.runAsAccount", &a.RunAsAccount, RunAsSystem, RunAsSystem, RunAsUser); err != nil {
		return err
	}
	if err := oneOf("installExperience.deviceRestartBehavior", &a.RestartBehavior, RestartBasedOnReturnCode,
		RestartBasedOnReturnCode, RestartAllow, RestartSuppress, RestartForce); err != nil {
		return err
	}
	if a.MaxRunTimeMinutes == 0 {
		a.MaxRunTimeMinutes = DefaultRunTime
	}
	if a.MaxRunTimeMinutes < 1 || a.MaxRunTimeMinutes > MaxRunTimeMinutes {
		return apperr.Invalid("installExperience.maxRunTimeInMinutes must be between 1 and %d, not %d", MaxRunTimeMinutes, a.MaxRunTimeMinutes)
	}
	if err := maxLen("displayVersion", a.DisplayVersion, 130); err != nil {
		return err
	}
	if err := normalizeDetection(a.DetectionRules); err != nil {
		return err
	}
	if err := a.Requirements.normalize(); err != nil {
		return err
	}
	codes, err := normalizeReturnCodes(a.ReturnCodes)
	if err != nil {
		return err
	}
	a.ReturnCodes = codes
	return a.MSIInformation.normalize()
}

func (a *App) normalizeMSI(old *App) error {
	if len(a.DetectionRules) > 0 || len(a.Requirements.Rules) > 0 || len(a.ReturnCodes) > 0 || a.UninstallCommand != "" || a.SetupFilePath != "" || a.MSIInformation != nil {
		return apperr.Invalid("detection and requirement rules, return codes, uninstall commands and msiInformation belong to win32LobApp apps; an MSI is detected by its productCode and productVersion")
	}
	a.RestartBehavior, a.MaxRunTimeMinutes, a.Requirements = "", 0, Requirements{}
	if err := checkCommand("commandLine", &a.InstallCommand, false); err != nil {
		return err
	}
	a.ProductCode = strings.TrimSpace(a.ProductCode)
	if !guidRE.MatchString(a.ProductCode) {
		return apperr.Invalid("productCode must be the MSI's product code, a GUID such as {23170F69-40C1-2702-2201-000001000000}, not %q", a.ProductCode)
	}
	a.ProductVersion = strings.TrimSpace(a.ProductVersion)
	if a.ProductVersion == "" && !a.IgnoreVersionDetection {
		return apperr.Invalid("productVersion is required to detect the install (or set ignoreVersionDetection)")
	}
	if a.ProductVersion != "" && !versionRE.MatchString(a.ProductVersion) {
		return apperr.Invalid("productVersion must be a version such as 1.2.3, not %q", a.ProductVersion)
	}
	// A dual-mode MSI installs per user unless useDeviceContext says otherwise.
	if err := oneOf("useDeviceContext", &a.RunAsAccount, RunAsUser, RunAsSystem, RunAsUser); err != nil {
		return err
	}
	if old != nil && old.RunAsAccount != a.RunAsAccount {
		return apperr.Invalid("useDeviceContext cannot be changed after the app is created (it is %t); create a new app instead", old.RunAsAccount == RunAsSystem)
	}
	return nil
}

// checkCommand trims a command line and refuses empty (when required),
// overlong, multi-line or badly quoted ones.
func checkCommand(name string, cmd *string, required bool) error {
	*cmd = strings.TrimSpace(*cmd)
	c := *cmd
	switch {
	case c == "" && required:
		return apperr.Invalid("%s is required", name)
	case strings.ContainsAny(c, "\r\n\x00"):
		return apperr.Invalid("%s must be a single line", name)
	case strings.Count(c, `"`)%2 != 0:
		return apperr.Invalid("%s has an unbalanced double quote: %s", name, c)
	}
	return maxLen(name, c, MaxCommandLen)
}

// oneOf sets *v to def when empty and checks it is one of allowed.
func oneOf(name string, v *string, def string, allowed ...string) error {
	if *v == "" {
		*v = def
	}
	if !slices.Contains(allowed, *v) {
		return apperr.Invalid("%s must be one of %s, not %q", name, strings.Join(allowed, ", "), *v)
	}
	return nil
}

func (m *MSIInformation) normalize() error {
	if m == nil {
		return nil
	}
	if m.ProductCode != "" && !guidRE.MatchString(m.ProductCode) {
		return apperr.Invalid("msiInformation.productCode must be a GUID, not %q", m.ProductCode)
	}
	if m.UpgradeCode != "" && !guidRE.MatchString(m.UpgradeCode) {
		return apperr.Invalid("msiInformation.upgradeCode must be a GUID, not %q", m.UpgradeCode)
	}
	return oneOf("msiInformation.packageType", &m.PackageType, "perMachine", "perMachine", "perUser", "dualPurpose")
}

func normalizeTags(tags []string) ([]string, error) {
	if len(tags) == 0 {
		return []string{DefaultRoleScopeID}, nil
	}
	if len(tags) > MaxRoleScopeTags {
		return nil, apperr.Invalid("roleScopeTagIds holds %d tags; at most %d are allowed", len(tags), MaxRoleScopeTags)
	}
	for i, t := range tags {
		if strings.TrimSpace(t) == "" {
			return nil, apperr.Invalid("roleScopeTagIds[%d] is empty", i)
		}
	}
	return tags, nil
}

func maxLen(name, s string, n int) error {
	if c := utf8.RuneCountInString(s); c > n {
		return apperr.Invalid("%s is %d characters long; the maximum is %d", name, c, n)
	}
	return nil
}
