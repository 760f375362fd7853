package routing

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"minyi"
	"minyi/analysis"
)

// Directory is the department directory of one routing config: the
// departments and their tree, the regions they cover, and finding one by a
// name published on a source site. It never changes after it is built; a
// Router swaps in a new one together with the rules that name it.
type Directory struct {
	departments []minyi.Department
	byID        map[string]int
	regions     []region // for DetectRegion, longest first
}

type region struct{ name, folded string }

// newDirectory validates the departments, reporting each problem to bad,
// and copies them so that the caller's slices can change freely.
func newDirectory(depts []minyi.Department, bad func(string, ...any)) *Directory {
	dir := &Directory{byID: map[string]int{}}
	names := map[string]string{} // folded name -> id
	for i, d := range depts {
		where := fmt.Sprintf("department %d", i+1)
		if strings.TrimSpace(d.ID) != "" {
			where = fmt.Sprintf("department %q", d.ID)
		}
		switch {
		case strings.TrimSpace(d.ID) == "":
			bad("%s (%q) has no id", where, d.Name)
			continue
		case d.ID != strings.TrimSpace(d.ID):
			bad("%s: id has leading or trailing spaces", where)
		}
		if _, dup := dir.byID[d.ID]; dup {
			bad("%s is defined twice", where)
			continue
		}
		if key := foldName(d.Name); key == "" {
			bad("%s has no name", where)
		} else if other, dup := names[key]; dup {
			bad("%s has the same name %q as department %q", where, d.Name, other)
		} else {
			names[key] = d.ID
		}
		for _, reg := range d.Regions {
			if strings.TrimSpace(reg) == "" {
				bad("%s has an empty region", where)
			}
		}
		dir.byID[d.ID] = len(dir.departments)
		dir.departments = append(dir.departments, cloneDepartment(d))
	}
	dir.checkParents(bad)
	dir.regions = collectRegions(dir.departments)
	return dir
}

// checkParents reports unknown parents and cycles in the department tree.
func (dir *Directory) checkParents(bad func(string, ...any)) {
	for _, d := range dir.departments {
		if d.Parent == "" {
			continue
		}
		if _, ok := dir.byID[d.Parent]; !ok {
			bad("department %q: parent %q does not exist", d.ID, d.Parent)
			continue
		}
		// A walk longer than the number of departments has gone round a cycle.
		id, steps := d.ID, 0
		for id != "" && steps <= len(dir.departments) {
			i, ok := dir.byID[id]
			if !ok {
				break
			}
			id = dir.departments[i].Parent
			steps++
		}
		if id != "" && steps > len(dir.departments) {
			bad("department %q: its parent chain goes round in a cycle", d.ID)
		}
	}
}

// collectRegions lists the departments' regions once each, longest first
// (ties in config order), so "江北区新城街道" is found before "江北区".
func collectRegions(depts []minyi.Department) []region {
	var out []region
	seen := map[string]bool{}
	for _, d := range depts {
		for _, name := range d.Regions {
			f := analysis.Fold(strings.TrimSpace(name))
			if f == "" || seen[f] {
				continue
			}
			seen[f] = true
			out = append(out, region{name: name, folded: f})
		}
	}
	slices.SortStableFunc(out, func(a, b region) int { return cmp.Compare(len(b.folded), len(a.folded)) })
	return out
}

// has tells whether a department with the given id exists.
func (dir *Directory) has(id string) bool {
	_, ok := dir.byID[id]
	return ok
}

// name is the department's name, or the id itself for an unknown id.
func (dir *Directory) name(id string) string {
	if i, ok := dir.byID[id]; ok {
		return dir.departments[i].Name
	}
	return id
}

// Departments returns every department in config order.
func (dir *Directory) Departments() []minyi.Department {
	out := make([]minyi.Department, len(dir.departments))
	for i, d := range dir.departments {
		out[i] = cloneDepartment(d)
	}
	return out
}

// Department returns the department with the given id.
func (dir *Directory) Department(id string) (minyi.Department, bool) {
	i, ok := dir.byID[id]
	if !ok {
		return minyi.Department{}, false
	}
	return cloneDepartment(dir.departments[i]), true
}

// cloneDepartment keeps callers from editing the directory's slices.
func cloneDepartment(d minyi.Department) minyi.Department {
	d.Regions = slices.Clone(d.Regions)
	d.Email = slices.Clone(d.Email)
	d.HeadEmail = slices.Clone(d.HeadEmail)
	return d
}

// ByName finds the department a name refers to, e.g. the 回复单位 of a reply
// published on a source site. In order:
//  1. the exact name;
//  2. the same name folded (traditional/simplified, width, spaces);
//  3. the department with the longest name contained in name, so
//     "临江市住建局物业科" is 市住建局 and "市公安局交警支队" is not 市公安局;
//  4. the only department whose name contains name ("住建局" → 市住建局);
//     two or more candidates are ambiguous and give false.
//
// Containment needs at least two characters on the shorter side, so that "市"
// matches nothing.
func (dir *Directory) ByName(name string) (minyi.Department, bool) {
	for _, d := range dir.departments {
		if d.Name == name {
			return cloneDepartment(d), true
		}
	}
	q := foldName(name)
	if q == "" {
		return minyi.Department{}, false
	}
	for _, d := range dir.departments {
		if foldName(d.Name) == q {
			return cloneDepartment(d), true
		}
	}
	best := -1
	for i, d := range dir.departments {
		n := foldName(d.Name)
		if runeCount(n) >= 2 && strings.Contains(q, n) && (best < 0 || len(n) > len(foldName(dir.departments[best].Name))) {
			best = i
		}
	}
	if best >= 0 {
		return cloneDepartment(dir.departments[best]), true
	}
	if runeCount(q) < 2 {
		return minyi.Department{}, false
	}
	found := -1
	for i, d := range dir.departments {
		if strings.Contains(foldName(d.Name), q) {
			if found >= 0 {
				return minyi.Department{}, false
			}
			found = i
		}
	}
	if found < 0 {
		return minyi.Department{}, false
	}
	return cloneDepartment(dir.departments[found]), true
}

// DetectRegion returns the region, as a department's config spells it, that
// the text mentions first; when two regions start at the same place the
// longer wins ("江北区新城街道" over "江北区"). "" when none is mentioned.
func (dir *Directory) DetectRegion(text string) string {
	folded := analysis.Fold(text)
	best, at := "", -1
	// regions are longest first, so a strict < keeps the longest at a tie.
	for _, reg := range dir.regions {
		if i := strings.Index(folded, reg.folded); i >= 0 && (at < 0 || i < at) {
			best, at = reg.name, i
		}
	}
	return best
}

// foldName is the form names are compared in: folded, without spaces.
func foldName(s string) string {
	return strings.Join(strings.Fields(analysis.Fold(s)), "")
}

func runeCount(s string) int { return len([]rune(s)) }
