// admin.js - the 管理 entry of the header (role admin): #/admin opens the unit
// page; the header link stays lit on every #/admin/… page.

export default {
  name: 'admin',
  path: /^#\/admin$/,
  href: '#/admin',
  title: '管理',
  nav: true,
  roles: ['admin'],
  render() {
    location.replace('#/admin/units');
  },
};
