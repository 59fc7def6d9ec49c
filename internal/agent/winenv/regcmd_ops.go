package winenv

import (
	"fmt"
	"io"
	"strings"
)

// regCmd is one reg command being run.
type regCmd struct {
	reg *Registry
	key string
	o   regOpts
	out io.Writer
}

// add runs REG ADD.
func (c regCmd) add() error {
	if !c.o.hasValue {
		if err := c.reg.CreateKey(c.key); err != nil {
			return err
		}
		_, err := fmt.Fprintln(c.out, regOK)
		return err
	}
	data := c.o.data
	if c.o.typ == RegMultiSZ {
		data = strings.ReplaceAll(data, c.o.sep, "\x00")
	}
	v, err := Value{Type: c.o.typ, Data: data}.canonical()
	if err != nil {
		return regFail("%v.", err)
	}
	if !c.o.force {
		if _, exists, err := c.reg.Get(c.key, c.o.value); err != nil {
			return err
		} else if exists {
			return regFail("The value %s exists; add /f to overwrite it (nothing prompts here).", displayName(c.o.value))
		}
	}
	if err := c.reg.Set(c.key, c.o.value, v); err != nil {
		return err
	}
	_, err = fmt.Fprintln(c.out, regOK)
	return err
}

// delete runs REG DELETE.
func (c regCmd) delete() error {
	if !c.o.force {
		return regFail("REG DELETE needs /f here: it cannot ask \"Permanently delete …(Yes/No)?\".")
	}
	var err error
	switch {
	case c.o.hasValue:
		err = c.reg.DeleteValue(c.key, c.o.value)
	case c.o.allVals:
		err = c.deleteAllValues()
	default:
		if isHive(c.key) {
			return regFail("Access is denied.")
		}
		err = c.reg.DeleteKey(c.key)
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(c.out, regOK)
	return err
}

// deleteAllValues deletes every value of the key.
func (c regCmd) deleteAllValues() error {
	info, ok, err := c.reg.Key(c.key)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s: %w", c.key, ErrNotFound)
	}
	for _, v := range info.Values {
		if err := c.reg.DeleteValue(c.key, v.Name); err != nil {
			return err
		}
	}
	return nil
}

// query runs REG QUERY.
func (c regCmd) query() error {
	info, ok, err := c.reg.Key(c.key)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s: %w", c.key, ErrNotFound)
	}
	var b strings.Builder
	if c.o.hasValue {
		var found bool
		for _, v := range info.Values {
			if keyID(v.Name) == keyID(c.o.value) {
				fmt.Fprintf(&b, "\n%s\n%s\n", info.Key, valueLine(v))
				found = true
			}
		}
		if !found {
			return fmt.Errorf("%s: %w", c.key, ErrNotFound)
		}
		b.WriteString("\n")
	} else if err := c.list(&b, info); err != nil {
		return err
	}
	_, err = io.WriteString(c.out, b.String())
	return err
}

// list writes a key's values and subkeys, recursively with /s.
func (c regCmd) list(b *strings.Builder, info KeyInfo) error {
	fmt.Fprintf(b, "\n%s\n", info.Key)
	for _, v := range info.Values {
		b.WriteString(valueLine(v) + "\n")
	}
	if !c.o.recursive {
		if len(info.Subkeys) > 0 {
			b.WriteString("\n")
		}
		for _, s := range info.Subkeys {
			b.WriteString(s + "\n")
		}
		return nil
	}
	for _, s := range info.Subkeys {
		sub, _, err := c.reg.Key(s)
		if err != nil {
			return err
		}
		if err := c.list(b, sub); err != nil {
			return err
		}
	}
	return nil
}

// valueLine formats a value as reg.exe does: 4 spaces, name, type, data.
func valueLine(v NamedValue) string {
	data := v.Data
	switch v.Type {
	case RegDWORD, RegQWORD:
		if n, err := parseRegNumber(v.Data, 64); err == nil {
			data = fmt.Sprintf("0x%x", n)
		}
	case RegMultiSZ:
		data = strings.ReplaceAll(v.Data, "\x00", `\0`)
	}
	return "    " + displayName(v.Name) + "    " + v.Type + "    " + data
}

// displayName is how reg.exe shows a value name.
func displayName(name string) string {
	if name == "" {
		return "(Default)"
	}
	return name
}
